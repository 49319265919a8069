package test

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
	"github.com/ca-helper/ca-helper/test/testenv"
)

// pythonHarness is a harness for uv and Poetry: every cache, config and
// virtualenv under the test's HOME, Python keyrings off, no prompts, no
// interpreter downloads.
func pythonHarness(t *testing.T, tool, fix string) *harness {
	testenv.Tool(t, tool, fix, "--version")
	h := newHarness(t, fake.Options{})
	setPythonEnv(h)
	return h
}

// setPythonEnv is pythonHarness's environment, for a harness shared with
// other tools.
func setPythonEnv(h *harness) {
	for k, v := range map[string]string{
		"UV_PYTHON_DOWNLOADS":           "never",
		"UV_NO_PROGRESS":                "1",
		"UV_CACHE_DIR":                  filepath.Join(h.home, ".cache", "uv"),
		"POETRY_NO_INTERACTION":         "1",
		"POETRY_VIRTUALENVS_IN_PROJECT": "true",
		"POETRY_CACHE_DIR":              filepath.Join(h.home, ".cache", "pypoetry"),
		"POETRY_CONFIG_DIR":             filepath.Join(h.home, ".config", "pypoetry"),
		"PYTHON_KEYRING_BACKEND":        "keyring.backends.null.Keyring",
		"PIP_DISABLE_PIP_VERSION_CHECK": "1",
	} {
		h.env[k] = v
	}
}

// pyProject is a project depending on hello-pkg, which the fake serves.
func pyProject(t *testing.T, extra string) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "pyproject.toml"), `[project]
name = "py-demo"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["hello-pkg"]
`+extra)
	return dir
}

// TestUvSetupThenExec: setup --tool uv writes the user's uv.toml (a named
// index, no credentials), then `ca-helper exec -- uv sync` installs from the
// fake with the credentials exec puts in UV_INDEX_RELEASES_*. Plain uv
// fails with uv's own "Missing credentials"; no file and no argv holds the
// token.
func TestUvSetupThenExec(t *testing.T) {
	h := pythonHarness(t, "uv", "pip install uv==0.13.9")
	index := h.fake.URL() + "/pypi/releases/simple/"
	config := filepath.Join(h.home, ".config", "uv", "uv.toml")
	want := "[[index]]\nname = \"releases\"\nurl = \"" + index + "\"\npublish-url = \"" + h.fake.URL() + "/pypi/releases/\"\n" +
		"default = true\nauthenticate = \"always\"\n"
	setupThreeRuns(t, h, []string{"--tool", "uv", "--repository", "releases"}, config, "+url = \""+index+"\"", want, "UV_INDEX_RELEASES_PASSWORD")

	project := pyProject(t, "")
	if r := h.runIn(project, nil, "uv", "lock"); r.code == 0 || !strings.Contains(r.stderr, "Missing credentials") {
		t.Fatalf("plain uv lock: want uv's missing-credentials error: %s", r)
	}
	watch := watchProcesses(t)
	r := h.runIn(project, nil, "ca-helper", "exec", "--repository", "releases", "--", "uv", "sync")
	if r.code != 0 || !hasDistInfo(filepath.Join(project, ".venv"), "hello_pkg-1.0.0.dist-info") {
		t.Fatalf("ca-helper exec -- uv sync: %s", r)
	}
	lock, _ := os.ReadFile(filepath.Join(project, "uv.lock"))
	if !strings.Contains(string(lock), `source = { registry = "`+index+`" }`) {
		t.Errorf("uv.lock does not resolve hello-pkg from the fake:\n%s", lock)
	}
	issued := h.fake.IssuedTokens()
	if len(issued) != 1 || h.fake.Calls(fake.OpPyPI) == 0 {
		t.Fatalf("tokens issued %d, PyPI requests %d; want 1 and some", len(issued), h.fake.Calls(fake.OpPyPI))
	}
	wantPyPIRequests(t, h.fake, issued[0])

	// Publish: `uv publish --index releases` takes the upload URL from the
	// index setup wrote, and the credentials exec set for it.
	wheel := writeWheel(t, t.TempDir(), "uv-demo", "0.2.0")
	if r := h.runIn(project, nil, "uv", "publish", "--index", "releases", wheel); r.code == 0 {
		t.Fatalf("plain uv publish succeeded: %s", r)
	}
	r = h.runIn(project, nil, "ca-helper", "exec", "--repository", "releases", "--", "uv", "publish", "--index", "releases", wheel)
	watch.stop()
	if got := h.fake.PyPIUploaded("releases", "uv-demo"); r.code != 0 || !slices.Equal(got, []string{filepath.Base(wheel)}) {
		t.Fatalf("ca-helper exec -- uv publish: uploaded %q: %s", got, r)
	}
	if len(h.fake.IssuedTokens()) != 1 {
		t.Errorf("publish fetched another token: %d issued", len(h.fake.IssuedTokens()))
	}
	checkArgv(t, watch, leakNeedles(issued), "uv\x00sync", "uv\x00publish")
	checkFiles(t, h, leakNeedles(issued), "", h.home, project)
}

// hasDistInfo reports whether a virtualenv has the named .dist-info.
func hasDistInfo(venv, name string) bool {
	found, _ := filepath.Glob(filepath.Join(venv, "lib", "python*", "site-packages", name, "METADATA"))
	return len(found) == 1
}

// checkArgv fails the test when a process the watch saw had token text in
// its argv, or when it never saw a process whose argv holds each of seen
// (so that its silence means something).
func checkArgv(t *testing.T, w *procWatch, needles []string, seen ...string) {
	t.Helper()
	if runtime.GOOS != "linux" {
		return // the watch reads /proc
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	found := map[string]bool{}
	for key := range w.argv {
		if leak := findLeak(key, needles); leak != "" {
			t.Errorf("argv holds token text %q: %q", leak, key)
		}
		for _, s := range seen {
			found[s] = found[s] || strings.Contains(key, s)
		}
	}
	for _, s := range seen {
		if !found[s] {
			t.Errorf("the process watch never saw %q among %d argvs: its silence proves nothing", s, len(w.argv))
		}
	}
}
