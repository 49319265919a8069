package test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
	"github.com/ca-helper/ca-helper/test/testenv"
)

// pnpmHarness is npmHarness for real pnpm, kept off the real HOME: its
// store, cache, state and PNPM_HOME all under the test's HOME, so the token
// search below covers them too.
func pnpmHarness(t *testing.T) (*harness, string) {
	testenv.Tool(t, "pnpm", "npm install -g pnpm@10.34.9", "--version")
	h := npmHarness(t)
	store := filepath.Join(h.home, "pnpm-store")
	h.env["XDG_STATE_HOME"] = filepath.Join(h.home, ".local", "state")
	h.env["PNPM_HOME"] = filepath.Join(h.home, ".local", "share", "pnpm")
	h.env["npm_config_store_dir"] = store
	h.env["npm_config_cache_dir"] = filepath.Join(h.home, ".cache", "pnpm")
	h.env["npm_config_state_dir"] = filepath.Join(h.home, ".local", "state", "pnpm")
	return h, store
}

// pnpmProject is a directory with a package.json depending on deps (the
// fake serves 1.0.0 of any package).
func pnpmProject(t *testing.T, deps ...string) string {
	t.Helper()
	dir := t.TempDir()
	var d []string
	for _, name := range deps {
		d = append(d, `"`+name+`":"1.0.0"`)
	}
	manifest := `{"name":"pnpm-demo","version":"1.0.0","private":true,"dependencies":{` + strings.Join(d, ",") + `}}`
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestPnpmSetupThenExec: setup --tool pnpm writes npm's .npmrc lines, which
// pnpm reads; `ca-helper exec -- pnpm add` (inferred) and `exec --tool pnpm
// -- pnpm install` install from the fake, plain pnpm gets 401, and no file
// under HOME, pnpm's store or the projects holds the token.
func TestPnpmSetupThenExec(t *testing.T) {
	h, store := pnpmHarness(t)
	registry := h.fake.URL() + "/npm/releases/"
	npmrc := filepath.Join(h.home, ".npmrc")

	r := h.run("ca-helper", "setup", "--tool", "pnpm", "--repository", "releases")
	want := "registry=" + registry + "\n" + strings.TrimPrefix(registry, "http:") + ":_authToken=${CODEARTIFACT_AUTH_TOKEN}\n"
	first, _ := os.ReadFile(npmrc)
	if r.code != 0 || r.stdout != npmrc+"\n" || string(first) != want || !strings.Contains(r.stderr, "exec -- pnpm") {
		t.Fatalf("setup: %s\n%s holds %q, want %q", r, npmrc, first, want)
	}
	r = h.run("ca-helper", "setup", "--tool", "pnpm", "--repository", "releases")
	if again, _ := os.ReadFile(npmrc); r.code != 0 || !bytes.Equal(again, first) || !strings.Contains(r.stderr, "unchanged") {
		t.Fatalf("a second setup changed %s or did not say unchanged: %s\n%q", npmrc, r, again)
	}

	added := pnpmProject(t)
	r = h.runIn(added, nil, "ca-helper", "exec", "--", "pnpm", "add", "left-pad")
	if r.code != 0 || !fileExists(filepath.Join(added, "node_modules", "left-pad", "package.json")) {
		t.Fatalf("ca-helper exec -- pnpm add: %s", r)
	}
	if h.fake.Calls(fake.OpNPM) == 0 || h.fake.TokenCalls() != 1 {
		t.Fatalf("npm calls %d, token calls %d; want some, one", h.fake.Calls(fake.OpNPM), h.fake.TokenCalls())
	}
	if entries, err := os.ReadDir(store); err != nil || len(entries) == 0 {
		t.Fatalf("pnpm's store is not in %s (%v): the test is not hermetic", store, err)
	}

	installed := pnpmProject(t, "is-even")
	r = h.runIn(installed, nil, "ca-helper", "exec", "--tool", "pnpm", "--", "pnpm", "install")
	if r.code != 0 || !fileExists(filepath.Join(installed, "node_modules", "is-even", "package.json")) {
		t.Fatalf("ca-helper exec --tool pnpm -- pnpm install: %s", r)
	}

	// Plain pnpm has no token: the installs above depended on exec's. With
	// ${CODEARTIFACT_AUTH_TOKEN} unset pnpm warns and skips the whole
	// .npmrc, registry line included, and would go to registry.npmjs.org:
	// the registry given in the environment keeps it on the fake.
	plain := pnpmProject(t, "is-odd")
	h.env["npm_config_registry"] = registry
	r = h.runIn(plain, nil, "pnpm", "install")
	delete(h.env, "npm_config_registry")
	if r.code == 0 || fileExists(filepath.Join(plain, "node_modules", "is-odd")) || !strings.Contains(r.stdout+r.stderr, "401") {
		t.Fatalf("pnpm install without ca-helper exec did not fail with 401: %s", r)
	}
	if b, _ := os.ReadFile(npmrc); !bytes.Equal(b, first) {
		t.Errorf("pnpm or exec changed %s: %q", npmrc, b)
	}
	checkFiles(t, h, leakNeedles(h.fake.IssuedTokens()), "", h.home, added, installed, plain)
}

// TestPnpmSetupProject: --project and --scope write the project's .npmrc
// as for npm, and a second run leaves it byte for byte.
func TestPnpmSetupProject(t *testing.T) {
	h, _ := pnpmHarness(t)
	registry := h.fake.URL() + "/npm/releases/"
	project := t.TempDir()
	path := filepath.Join(project, ".npmrc")
	args := []string{"setup", "--tool", "pnpm", "--repository", "releases", "--project", project, "--scope", "@my-org"}

	r := h.run("ca-helper", append(args, "--dry-run")...)
	if r.code != 0 || !strings.Contains(r.stdout, "+@my-org:registry="+registry+"\n") || fileExists(path) {
		t.Fatalf("setup --dry-run wrote %s or printed no diff: %s", path, r)
	}
	r = h.run("ca-helper", args...)
	first, _ := os.ReadFile(path)
	want := "@my-org:registry=" + registry + "\n" + strings.TrimPrefix(registry, "http:") + ":_authToken=${CODEARTIFACT_AUTH_TOKEN}\n"
	if r.code != 0 || string(first) != want {
		t.Fatalf("setup --project --scope: %s\n%q, want %q", r, first, want)
	}
	r = h.run("ca-helper", args...)
	if again, _ := os.ReadFile(path); r.code != 0 || !bytes.Equal(again, first) {
		t.Fatalf("a second setup changed %s: %s\n%q", path, r, again)
	}
}
