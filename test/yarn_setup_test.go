package test

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
	"github.com/ca-helper/ca-helper/test/testenv"
)

// yarnHarness is a harness with a fresh HOME for real Yarn 4: its global
// folder (cache and metadata, ~/.yarn/berry) under HOME, so the token
// search covers it; no telemetry; http to the fake on 127.0.0.1 allowed
// (Yarn refuses http registries otherwise); installs free to write a
// lockfile (Yarn makes them immutable when it thinks it runs in CI).
func yarnHarness(t *testing.T) (*harness, string) {
	testenv.Tool(t, "yarn", "npm install -g @yarnpkg/cli-dist@4.18.1", "--version")
	h := newHarness(t, fake.Options{})
	global := filepath.Join(h.home, ".yarn", "berry")
	h.env["YARN_GLOBAL_FOLDER"] = global
	h.env["YARN_ENABLE_TELEMETRY"] = "0"
	h.env["YARN_ENABLE_COLORS"] = "0"
	h.env["YARN_ENABLE_PROGRESS_BARS"] = "0"
	h.env["YARN_ENABLE_IMMUTABLE_INSTALLS"] = "false"
	h.env["YARN_UNSAFE_HTTP_WHITELIST"] = "127.0.0.1"
	return h, global
}

// yarnProject is pnpmProject for Yarn: name@1.2.3 depending on deps, with
// a .yarnrc.yml holding yarnrc (Yarn reads it before ~/.yarnrc.yml).
func yarnProject(t *testing.T, name, yarnrc string, deps ...string) string {
	t.Helper()
	dir := pnpmProject(t, deps...)
	manifest, _ := os.ReadFile(filepath.Join(dir, "package.json"))
	manifest = bytes.Replace(manifest, []byte(`"name":"pnpm-demo","version":"1.0.0","private":true`),
		[]byte(`"name":"`+name+`","version":"1.2.3","license":"MIT"`), 1)
	if err := os.WriteFile(filepath.Join(dir, "package.json"), manifest, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".yarnrc.yml"), []byte(yarnrc), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// yarnAuth is what setup writes for the fake's registry, after the
// registry's own lines.
func yarnAuth(registry string) string {
	return "npmRegistries:\n  \"" + strings.TrimPrefix(registry, "http:") + "\":\n    npmAlwaysAuth: true\n" +
		"    npmAuthToken: \"${CODEARTIFACT_AUTH_TOKEN-}\"\n"
}

// TestYarnSetupThenExec: setup --tool yarn writes ~/.yarnrc.yml, `ca-helper
// exec -- yarn install` (inferred) installs from the fake, plain yarn runs
// but cannot install without the token, and no file under HOME, Yarn's
// global folder or the projects holds the token.
func TestYarnSetupThenExec(t *testing.T) {
	h, global := yarnHarness(t)
	registry := h.fake.URL() + "/npm/releases/"
	yarnrc := filepath.Join(h.home, ".yarnrc.yml")

	want := "npmRegistryServer: \"" + registry + "\"\n" + yarnAuth(registry)
	first := setupThreeRuns(t, h, []string{"--tool", "yarn", "--repository", "releases"}, yarnrc, "+npmRegistryServer: \""+registry+"\"", want, "exec -- yarn")
	if st, err := os.Stat(yarnrc); runtime.GOOS != "windows" && (err != nil || st.Mode().Perm() != 0o600) {
		t.Errorf("%s has mode %v (%v), want 0600", yarnrc, st.Mode().Perm(), err)
	}

	// With the variable unset Yarn still reads the file (${VAR-}), so
	// commands that need no registry run.
	project := yarnProject(t, "yarn-demo", "nodeLinker: node-modules\n", "left-pad")
	if r := h.runIn(project, nil, "yarn", "config", "get", "npmRegistryServer"); r.code != 0 || strings.TrimSpace(r.stdout) != registry {
		t.Fatalf("yarn config get without the variable: %s", r)
	}
	r := h.runIn(project, nil, "ca-helper", "exec", "--", "yarn", "install")
	if r.code != 0 || !fromFake(project, "left-pad") {
		t.Fatalf("ca-helper exec -- yarn install: %s", r)
	}
	if lock, _ := os.ReadFile(filepath.Join(project, "yarn.lock")); !strings.Contains(string(lock), `"left-pad@npm:1.0.0"`) {
		t.Errorf("yarn.lock lacks left-pad: %q", lock)
	}
	if h.fake.Calls(fake.OpNPM) == 0 || h.fake.TokenCalls() != 1 {
		t.Fatalf("npm calls %d, token calls %d; want some, one", h.fake.Calls(fake.OpNPM), h.fake.TokenCalls())
	}
	if entries, err := os.ReadDir(filepath.Join(global, "cache")); err != nil || len(entries) == 0 {
		t.Fatalf("Yarn's cache is not in %s (%v): the test is not hermetic", global, err)
	}

	// Plain yarn has no token: with npmAlwaysAuth it refuses to ask the
	// registry anonymously, and installs nothing.
	calls := h.fake.Calls(fake.OpNPM)
	plain := yarnProject(t, "yarn-plain", "nodeLinker: node-modules\n", "is-odd")
	r = h.runIn(plain, nil, "yarn", "install")
	if r.code == 0 || fileExists(filepath.Join(plain, "node_modules", "is-odd")) || !strings.Contains(r.stdout, "No authentication configured") {
		t.Fatalf("yarn install without ca-helper exec did not fail for want of a token: %s", r)
	}
	if n := h.fake.Calls(fake.OpNPM); n != calls {
		t.Errorf("plain yarn made %d registry calls without a token", n-calls)
	}
	if b, _ := os.ReadFile(yarnrc); !bytes.Equal(b, first) {
		t.Errorf("yarn or exec changed %s: %q", yarnrc, b)
	}
	checkFiles(t, h, leakNeedles(h.fake.IssuedTokens()), "", h.home, project, plain)
}

// TestYarnSetupScopeAndPublish: setup --project --scope writes the
// project's .yarnrc.yml (0644, its other lines kept, a second run changes
// nothing), `ca-helper exec -- yarn npm publish` publishes the scoped
// package to the fake, and plain yarn npm publish is refused.
func TestYarnSetupScopeAndPublish(t *testing.T) {
	h, _ := yarnHarness(t)
	registry := h.fake.URL() + "/npm/releases/"
	project := yarnProject(t, "@my-org/yarn-demo", "# the project's\nenableGlobalCache: true\n")
	path := filepath.Join(project, ".yarnrc.yml")
	args := []string{"setup", "--tool", "yarn", "--repository", "releases", "--project", project, "--scope", "@my-org"}

	r := h.run("ca-helper", args...)
	want := "# the project's\nenableGlobalCache: true\nnpmScopes:\n  my-org:\n    npmRegistryServer: \"" + registry +
		"\"\n    npmPublishRegistry: \"" + registry + "\"\n" + yarnAuth(registry)
	first, _ := os.ReadFile(path)
	if r.code != 0 || string(first) != want {
		t.Fatalf("setup --project --scope: %s\n%q, want %q", r, first, want)
	}
	if st, err := os.Stat(path); runtime.GOOS != "windows" && (err != nil || st.Mode().Perm() != 0o644) {
		t.Errorf("project .yarnrc.yml mode %v (%v), want 0644", st.Mode().Perm(), err)
	}
	if r := h.run("ca-helper", args...); r.code != 0 || !strings.Contains(r.stderr, "unchanged") {
		t.Fatalf("a second setup: %s", r)
	}
	if again, _ := os.ReadFile(path); !bytes.Equal(again, first) {
		t.Fatalf("a second setup changed %s: %q", path, again)
	}

	// No dependencies: yarn install needs no registry, nor a token.
	if r := h.runIn(project, nil, "yarn", "install"); r.code != 0 {
		t.Fatalf("yarn install of a project without dependencies: %s", r)
	}
	if r := h.runIn(project, nil, "yarn", "npm", "publish"); r.code == 0 || len(h.fake.NPMPublished("releases", "@my-org/yarn-demo")) != 0 {
		t.Fatalf("yarn npm publish without a token succeeded: %s", r)
	}
	r = h.runIn(project, nil, "ca-helper", "exec", "--", "yarn", "npm", "publish")
	if got := h.fake.NPMPublished("releases", "@my-org/yarn-demo"); r.code != 0 || len(got) != 1 || got[0] != "1.2.3" {
		t.Fatalf("ca-helper exec -- yarn npm publish: %s\npublished %v", r, got)
	}
	checkFiles(t, h, leakNeedles(h.fake.IssuedTokens()), "", h.home, project)
}

// TestYarnSetupRefusesMalformed: a .yarnrc.yml outside the YAML subset
// setup edits, or not text, is left byte for byte with exit 2.
func TestYarnSetupRefusesMalformed(t *testing.T) {
	h, _ := yarnHarness(t)
	for name, content := range map[string]string{
		"flow mapping": "npmRegistries: {}\n", "tab": "a:\n\tb: 1\n", "two documents": "a: 1\n---\nb: 2\n",
		"binary": "a: \x00\x01\n", "not UTF-8": "a: \xff\xfe\n",
	} {
		dir := t.TempDir()
		path := filepath.Join(dir, ".yarnrc.yml")
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		r := h.run("ca-helper", "setup", "--tool", "yarn", "--repository", "releases", "--project", dir)
		wantFailure(t, r, 2, ".yarnrc.yml")
		if b, _ := os.ReadFile(path); string(b) != content {
			t.Errorf("%s: the malformed .yarnrc.yml was changed: %q", name, b)
		}
	}
}
