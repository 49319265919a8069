package test

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
	"github.com/ca-helper/ca-helper/test/testenv"
)

// twineHarness is a harness for real twine (7.0.0, as CI pins it): never
// a prompt, never a real keyring.
func twineHarness(t *testing.T) (*harness, string) {
	testenv.Tool(t, "twine", "pip install twine==7.0.0", "--version")
	h := newHarness(t, fake.Options{})
	h.env["TWINE_NON_INTERACTIVE"] = "1"
	h.env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
	return h, filepath.Join(h.home, ".pypirc")
}

// TestTwineSetupThenUpload is the twine path a user takes: setup writes
// ~/.pypirc (the repository in index-servers, its URL, username aws, no
// password), `ca-helper exec -- twine upload` uploads, with or without -r
// NAME, plain twine does not, and pip installs what twine uploaded.
func TestTwineSetupThenUpload(t *testing.T) {
	h, pypirc := twineHarness(t)
	pip := requirePip(t)
	endpoint := h.fake.URL() + "/pypi/releases/"
	want := "[distutils]\nindex-servers =\n    pypi\n    testpypi\n    releases\n\n[releases]\nrepository = " + endpoint + "\nusername = aws\n"

	first := setupThreeRuns(t, h, []string{"--tool", "twine", "--repository", "releases"}, pypirc, "+repository = "+endpoint, want, "TWINE_PASSWORD")
	if st, err := os.Stat(pypirc); runtime.GOOS != "windows" && (err != nil || st.Mode().Perm() != 0o600) {
		t.Errorf("%s has mode %v (%v), want 0600", pypirc, st.Mode().Perm(), err)
	}
	wantFailure(t, h.run("ca-helper", "setup", "--tool", "twine", "--repository", "releases", "--project", t.TempDir()), 2, "twine has no project config file")

	upload := []string{"upload", "--non-interactive", "--disable-progress-bar"}
	first01 := writeWheel(t, t.TempDir(), "demo-pkg", "0.1.0")
	// Plain twine finds the repository in .pypirc but has no password.
	if r := h.run("twine", append(upload, "-r", "releases", first01)...); r.code == 0 || len(h.fake.PyPIUploaded("releases", "demo-pkg")) != 0 {
		t.Fatalf("twine upload without ca-helper exec: %s", r)
	} else {
		t.Logf("plain twine upload -r releases after setup:\n%s", r.stdout+r.stderr)
	}

	watch := watchProcesses(t)
	h.env["CODEARTIFACT_REPOSITORY"] = "releases"
	r := h.run("ca-helper", append([]string{"exec", "--", "twine"}, append(upload, first01)...)...)
	if got := h.fake.PyPIUploaded("releases", "demo-pkg"); r.code != 0 || !slices.Equal(got, []string{filepath.Base(first01)}) {
		t.Fatalf("ca-helper exec -- twine upload: %s\nuploaded %v", r, got)
	}
	second := writeWheel(t, t.TempDir(), "demo-pkg", "0.2.0")
	r = h.run("ca-helper", append([]string{"exec", "--", "twine"}, append(upload, "-r", "releases", second)...)...)
	if got := h.fake.PyPIUploaded("releases", "demo-pkg"); r.code != 0 || len(got) != 2 || got[1] != filepath.Base(second) {
		t.Fatalf("ca-helper exec -- twine upload -r releases: %s\nuploaded %v", r, got)
	}
	issued := h.fake.IssuedTokens()
	if len(issued) != 1 || findLeak(r.stdout+r.stderr, leakNeedles(issued)) != "" {
		t.Fatalf("%d tokens issued, or twine printed the token:\n%s", len(issued), r)
	}
	watch.stop()
	watch.mu.Lock()
	sawUpload := false
	for key := range watch.argv {
		sawUpload = sawUpload || strings.Contains(key, "\x00upload\x00--non-interactive\x00")
		if leak := findLeak(key, leakNeedles(issued)); leak != "" {
			t.Errorf("argv holds token text %q: %q", leak, key)
		}
	}
	watch.mu.Unlock()
	if runtime.GOOS == "linux" && !sawUpload {
		t.Error("the /proc watch never saw twine upload: the argv search cannot be trusted")
	}

	// pip installs what twine uploaded, through exec's PIP_INDEX_URL.
	for k, v := range map[string]string{"PIP_CONFIG_FILE": os.DevNull, "PIP_NO_INPUT": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1",
		"PIP_KEYRING_PROVIDER": "disabled", "PIP_ROOT_USER_ACTION": "ignore", "PIP_NO_CACHE_DIR": "1"} {
		h.env[k] = v
	}
	target := t.TempDir()
	r = h.run("ca-helper", "exec", "--", pip, "install", "--target", target, "demo-pkg==0.2.0")
	if r.code != 0 || !fileExists(filepath.Join(target, "demo_pkg-0.2.0.dist-info", "METADATA")) {
		t.Fatalf("ca-helper exec -- pip install demo-pkg==0.2.0: %s", r)
	}
	if b, _ := os.ReadFile(pypirc); !bytes.Equal(b, first) {
		t.Errorf("twine or exec changed %s: %q", pypirc, b)
	}
	checkFiles(t, h, leakNeedles(h.fake.IssuedTokens()), "", h.home, target)
}

// TestTwineSetupExistingFiles: a .pypirc from `aws codeartifact login
// --tool twine` loses its password, never printed, other sections kept; a
// file setup cannot edit safely is left untouched with exit 2.
func TestTwineSetupExistingFiles(t *testing.T) {
	h, pypirc := twineHarness(t)
	endpoint := h.fake.URL() + "/pypi/releases/"
	setup := func(args ...string) result {
		return h.run("ca-helper", append([]string{"setup", "--tool", "twine", "--repository", "releases"}, args...)...)
	}
	tok := h.mustGet()
	old := "[distutils]\nindex-servers =\n    pypi\n    releases\n\n[pypi]\nusername = __token__\n\n[releases]\nrepository = " + endpoint +
		"\nusername = aws\npassword = " + tok + "\n"
	if err := os.WriteFile(pypirc, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	r := setup("--dry-run")
	if b, _ := os.ReadFile(pypirc); r.code != 0 || string(b) != old || r.stdout != "--- "+pypirc+"\n+++ "+pypirc+"\n-password = [redacted]\n" {
		t.Fatalf("setup --dry-run: %s\n%q", r, b)
	}
	r = setup()
	b, _ := os.ReadFile(pypirc)
	if r.code != 0 || string(b) != strings.Replace(old, "password = "+tok+"\n", "", 1) ||
		!strings.Contains(r.stderr, "replaced the token written in "+pypirc+"; it is not kept anywhere") {
		t.Fatalf("password not removed: %s\n%q", r, b)
	}
	if findLeak(r.stdout+r.stderr, leakNeedles(h.fake.IssuedTokens())) != "" {
		t.Fatal("setup printed the token it removed")
	}
	checkFiles(t, h, leakNeedles(h.fake.IssuedTokens()), "", h.home)

	for name, content := range map[string]string{
		"binary": "[releases]\x00\n", "no section": "index-servers = releases\n", "section twice": "[releases]\n[releases]\n",
		"password on indented lines": "[releases]\npassword =\n    secret-value\n", "password in [DEFAULT]": "[DEFAULT]\npassword = secret-value\n",
	} {
		if err := os.WriteFile(pypirc, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		r := setup()
		wantFailure(t, r, 2, pypirc)
		if b, _ := os.ReadFile(pypirc); string(b) != content || strings.Contains(r.stderr, "secret-value") {
			t.Errorf("%s: the malformed .pypirc was changed, or its value printed: %s", name, r)
		}
	}
}
