package test

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// pipSetupHarness is a harness for real pip that reads its config files:
// the user's pip.conf under the fresh HOME (XDG_CONFIG_HOME), no
// PIP_CONFIG_FILE, no prompt, no keyring, no cache outside HOME.
func pipSetupHarness(t *testing.T) (*harness, string, string) {
	pip := requirePip(t)
	h := newHarness(t, fake.Options{})
	for k, v := range map[string]string{
		"PIP_NO_INPUT": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_KEYRING_PROVIDER": "disabled",
		"PIP_ROOT_USER_ACTION": "ignore", "PIP_NO_CACHE_DIR": "1",
	} {
		h.env[k] = v
	}
	return h, pip, filepath.Join(h.home, ".config", "pip", "pip.conf")
}

// TestPipSetupThenExec is the pip path a user takes: setup writes the
// user's pip.conf with the repository's index and no token, then `ca-helper
// exec -- pip install` installs from it; plain pip is refused (401) instead
// of going to pypi.org. No file and no argv holds the token.
func TestPipSetupThenExec(t *testing.T) {
	h, pip, conf := pipSetupHarness(t)
	index := h.fake.URL() + "/pypi/releases/simple/"
	want := "[global]\nindex-url = " + index + "\n"

	first := setupThreeRuns(t, h, []string{"--tool", "pip", "--repository", "releases"}, conf, "+index-url = "+index, want, "PIP_INDEX_URL")
	if st, err := os.Stat(conf); runtime.GOOS != "windows" && (err != nil || st.Mode().Perm() != 0o600) {
		t.Errorf("%s has mode %v (%v), want 0600", conf, st.Mode().Perm(), err)
	}
	wantFailure(t, h.run("ca-helper", "setup", "--tool", "pip", "--repository", "releases", "--project", t.TempDir()), 2, "pip has no project config file")

	// pip reads the file setup wrote, and no other file sets its index.
	r := h.run(pip, "config", "list")
	var indexes []string
	for _, line := range strings.Split(r.stdout, "\n") {
		if strings.Contains(strings.ReplaceAll(line, "_", "-"), "index-url") {
			indexes = append(indexes, line)
		}
	}
	if r.code != 0 || len(indexes) != 1 || indexes[0] != "global.index-url='"+index+"'" {
		t.Fatalf("pip config list: %s", r)
	}

	watch := watchProcesses(t)
	h.env["CODEARTIFACT_REPOSITORY"] = "releases"
	target := t.TempDir()
	r = h.run("ca-helper", "exec", "--", pip, "install", "--target", target, "hello-pkg")
	if r.code != 0 || !fileExists(filepath.Join(target, "hello_pkg-1.0.0.dist-info", "METADATA")) {
		t.Fatalf("ca-helper exec -- pip install: %s", r)
	}
	issued := h.fake.IssuedTokens()
	if len(issued) != 1 || strings.Contains(r.stdout+r.stderr, issued[0]) {
		t.Fatalf("%d tokens issued, or pip printed the token:\n%s", len(issued), r)
	}
	wantPyPIRequests(t, h.fake, issued[0])
	watch.stop()
	watch.mu.Lock()
	sawExec := false
	for key := range watch.argv {
		sawExec = sawExec || strings.Contains(key, "\x00install\x00--target\x00")
		if leak := findLeak(key, leakNeedles(issued)); leak != "" {
			t.Errorf("argv holds token text %q: %q", leak, key)
		}
	}
	watch.mu.Unlock()
	if runtime.GOOS == "linux" && !sawExec {
		t.Error("the /proc watch never saw pip install: the argv search cannot be trusted")
	}

	// Plain pip asks the repository, which refuses it without the token:
	// no silent fallback to pypi.org.
	delete(h.env, "CODEARTIFACT_REPOSITORY")
	bare := t.TempDir()
	before := h.fake.Calls(fake.OpPyPI)
	r = h.run(pip, "install", "--target", bare, "hello-pkg")
	reqs := h.fake.Requests()
	if r.code == 0 || fileExists(filepath.Join(bare, "hello_pkg-1.0.0.dist-info")) || h.fake.Calls(fake.OpPyPI) == before ||
		reqs[len(reqs)-1].Status != 401 || strings.Contains(r.stdout+r.stderr, "pypi.org") {
		t.Fatalf("plain pip install: %s", r)
	}
	t.Logf("plain pip install after setup:\n%s", r.stdout+r.stderr)
	if b, _ := os.ReadFile(conf); !bytes.Equal(b, first) {
		t.Errorf("pip or exec changed %s: %q", conf, b)
	}
	checkFiles(t, h, leakNeedles(h.fake.IssuedTokens()), "", h.home, target)
}

// TestPipSetupExistingFiles: a pip.conf from `aws codeartifact login --tool
// pip`, its token replaced and never printed, other keys kept; a file
// setup cannot edit safely left untouched with exit 2.
func TestPipSetupExistingFiles(t *testing.T) {
	h, _, conf := pipSetupHarness(t)
	index := h.fake.URL() + "/pypi/releases/simple/"
	setup := func(args ...string) result {
		return h.run("ca-helper", append([]string{"setup", "--tool", "pip", "--repository", "releases"}, args...)...)
	}
	if err := os.MkdirAll(filepath.Dir(conf), 0o700); err != nil {
		t.Fatal(err)
	}

	tok := h.mustGet()
	old := "# from aws codeartifact login\n[global]\nindex-url = " + strings.Replace(index, "http://", "http://aws:"+tok+"@", 1) +
		"\ntimeout = 60\n\n[install]\nno-compile = true\n"
	if err := os.WriteFile(conf, []byte(old), 0o640); err != nil {
		t.Fatal(err)
	}
	r := setup("--dry-run")
	if b, _ := os.ReadFile(conf); r.code != 0 || string(b) != old || !strings.Contains(r.stdout, "-index-url = [redacted]\n+index-url = "+index+"\n") {
		t.Fatalf("setup --dry-run: %s\n%q", r, b)
	}
	r = setup()
	b, _ := os.ReadFile(conf)
	if want := "# from aws codeartifact login\n[global]\nindex-url = " + index + "\ntimeout = 60\n\n[install]\nno-compile = true\n"; r.code != 0 || string(b) != want ||
		!strings.Contains(r.stderr, "replaced the token written in "+conf+"; it is not kept anywhere") {
		t.Fatalf("literal token not replaced: %s\n%q", r, b)
	}
	if st, err := os.Stat(conf); runtime.GOOS != "windows" && (err != nil || st.Mode().Perm() != 0o640) {
		t.Errorf("%s mode %v (%v), want its own 0640 kept", conf, st.Mode().Perm(), err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(conf)); len(entries) != 1 {
		t.Errorf("setup left more than pip.conf (a backup with the token?): %v", entries)
	}
	checkFiles(t, h, leakNeedles(h.fake.IssuedTokens()), "", h.home)
	if findLeak(r.stdout+r.stderr, leakNeedles(h.fake.IssuedTokens())) != "" {
		t.Fatal("setup printed the token it replaced")
	}

	for name, content := range map[string]string{
		"binary": "[global]\x00\n", "not UTF-8": "[global]\na = \xff\n", "no section": "index-url = x\n",
		"index-url on indented lines": "[global]\nindex-url =\n    https://aws:secret@h/simple/\n", "section twice": "[global]\n[global]\n",
	} {
		if err := os.WriteFile(conf, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		r := setup()
		wantFailure(t, r, 2, conf)
		if b, _ := os.ReadFile(conf); string(b) != content || strings.Contains(r.stderr, "secret") {
			t.Errorf("%s: the malformed pip.conf was changed, or its value printed: %s", name, r)
		}
		if r := setup("--dry-run"); r.code != 2 {
			t.Errorf("%s: setup --dry-run exit %d, want 2", name, r.code)
		}
	}
}
