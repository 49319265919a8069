package test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// TestPoetrySetupThenExec: setup --tool poetry in a project's directory
// adds a [[tool.poetry.source]] named after the repository (no
// credentials), then `ca-helper exec -- poetry install` installs from the
// fake with the credentials exec puts in POETRY_HTTP_BASIC_RELEASES_*.
// Plain Poetry is refused by the repository; no file and no argv holds
// the token; a directory without pyproject.toml is refused with exit 2.
func TestPoetrySetupThenExec(t *testing.T) {
	h := pythonHarness(t, "poetry", "pip install poetry==2.5.1")
	index := h.fake.URL() + "/pypi/releases/simple/"
	project := pyProject(t, "\n[build-system]\nrequires = [\"poetry-core>=2\"]\nbuild-backend = \"poetry.core.masonry.api\"\n")
	writeFile(t, filepath.Join(project, "py_demo", "__init__.py"), "NAME = 'py-demo'\n")
	pyproject := filepath.Join(project, "pyproject.toml")
	before, _ := os.ReadFile(pyproject)
	setup := []string{"setup", "--tool", "poetry", "--repository", "releases"}

	empty := t.TempDir()
	r := h.runIn(empty, nil, "ca-helper", setup...)
	wantFailure(t, r, 2, "no pyproject.toml")
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("setup in a directory without a project wrote %v", entries)
	}
	r = h.runIn(project, nil, "ca-helper", append(setup, "--dry-run")...)
	if after, _ := os.ReadFile(pyproject); r.code != 0 || !strings.Contains(r.stdout, "+url = \""+index+"\"\n") || !bytes.Equal(after, before) {
		t.Fatalf("setup --dry-run changed pyproject.toml or printed no diff: %s", r)
	}
	r = h.runIn(project, nil, "ca-helper", setup...) // the current directory's project
	first, _ := os.ReadFile(pyproject)
	want := string(before) + "\n[[tool.poetry.source]]\nname = \"releases\"\nurl = \"" + index + "\"\npriority = \"primary\"\n"
	if r.code != 0 || string(first) != want || !strings.Contains(r.stderr, "POETRY_HTTP_BASIC_RELEASES_PASSWORD") {
		t.Fatalf("setup: %s\npyproject.toml holds %q, want %q", r, first, want)
	}
	r = h.run("ca-helper", append(setup, "--project", project)...)
	if again, _ := os.ReadFile(pyproject); r.code != 0 || !bytes.Equal(again, first) || !strings.Contains(r.stderr, "unchanged") {
		t.Fatalf("a second setup changed pyproject.toml or did not say unchanged: %s\n%q", r, again)
	}

	if r := h.runIn(project, nil, "poetry", "lock"); r.code == 0 || !strings.Contains(r.stdout+r.stderr, "Authorization error") {
		t.Fatalf("plain poetry lock: want the repository's authorization error: %s", r)
	}
	refused := len(h.fake.Requests())
	watch := watchProcesses(t)
	r = h.runIn(project, nil, "ca-helper", "exec", "--repository", "releases", "--", "poetry", "install")
	if r.code != 0 || !hasDistInfo(filepath.Join(project, ".venv"), "hello_pkg-1.0.0.dist-info") {
		t.Fatalf("ca-helper exec -- poetry install: %s", r)
	}
	if lock, _ := os.ReadFile(filepath.Join(project, "poetry.lock")); !strings.Contains(string(lock), strings.TrimSuffix(index, "/")) {
		t.Errorf("poetry.lock does not resolve hello-pkg from the fake:\n%s", lock)
	}
	issued := h.fake.IssuedTokens()
	if len(issued) != 1 {
		t.Fatalf("tokens issued %d, want 1", len(issued))
	}
	n := 0
	for _, req := range h.fake.Requests()[refused:] {
		if req.Op == fake.OpPyPI {
			n++
			if (req.Status != 200 && req.Status != 206) || !strings.HasPrefix(issued[0], req.TokenPrefix) || req.TokenPrefix == "" {
				t.Errorf("pypi request %+v, want 200 (or 206) with the issued token", req)
			}
		}
	}
	if n == 0 {
		t.Fatal("poetry install never reached the fake's PyPI route")
	}

	// Publish: Poetry builds with its own poetry-core; exec gives the
	// upload URL and credentials of the source's name.
	if r := h.runIn(project, nil, "poetry", "build"); r.code != 0 {
		t.Fatalf("poetry build: %s", r)
	}
	if r := h.runIn(project, nil, "poetry", "publish", "-r", "releases"); r.code == 0 {
		t.Fatalf("plain poetry publish succeeded: %s", r)
	}
	r = h.runIn(project, nil, "ca-helper", "exec", "--repository", "releases", "--", "poetry", "publish", "-r", "releases")
	watch.stop()
	got := h.fake.PyPIUploaded("releases", "py-demo")
	if r.code != 0 || !slices.Equal(got, []string{"py_demo-0.1.0.tar.gz", "py_demo-0.1.0-py3-none-any.whl"}) {
		t.Fatalf("ca-helper exec -- poetry publish: uploaded %q: %s", got, r)
	}
	if len(h.fake.IssuedTokens()) != 1 {
		t.Errorf("publish fetched another token: %d issued", len(h.fake.IssuedTokens()))
	}
	checkArgv(t, watch, leakNeedles(issued), "poetry\x00install", "poetry\x00publish")
	checkFiles(t, h, leakNeedles(issued), "", h.home, project)
}
