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

// npmHarness is a harness with a fresh HOME for real npm: its cache and
// logs under HOME (~/.npm), so the token search below covers them too.
func npmHarness(t *testing.T) *harness {
	testenv.Tool(t, "npm", "apt-get install -y npm", "--version")
	h := newHarness(t, fake.Options{})
	h.env["npm_config_update_notifier"] = "false"
	h.env["npm_config_fund"] = "false"
	return h
}

// TestNpmSetupThenExec is the npm path a user takes: endpoint, setup, then
// `ca-helper exec -- npm install`, from an empty cache and a fresh HOME. No
// file under HOME or the project holds the token afterwards.
func TestNpmSetupThenExec(t *testing.T) {
	h := npmHarness(t)
	registry := h.fake.URL() + "/npm/releases/"
	npmrc := filepath.Join(h.home, ".npmrc")

	r := h.run("ca-helper", "endpoint", "--package-format", "npm", "--repository", "releases")
	if r.code != 0 || r.stdout != registry+"\n" || h.fake.TokenCalls() != 0 {
		t.Fatalf("endpoint: %s (token calls %d)", r, h.fake.TokenCalls())
	}

	want := "registry=" + registry + "\n" + strings.TrimPrefix(registry, "http:") + ":_authToken=${CODEARTIFACT_AUTH_TOKEN}\n"
	first := setupThreeRuns(t, h, []string{"--tool", "npm", "--repository", "releases"}, npmrc, "+registry="+registry, want, "")
	if st, err := os.Stat(npmrc); runtime.GOOS != "windows" && (err != nil || st.Mode().Perm() != 0o600) {
		t.Errorf("%s has mode %v (%v), want 0600", npmrc, st.Mode().Perm(), err)
	}

	project := t.TempDir()
	r = h.runIn(project, nil, "ca-helper", "exec", "--", "npm", "install", "left-pad")
	if r.code != 0 || !fileExists(filepath.Join(project, "node_modules", "left-pad", "package.json")) {
		t.Fatalf("ca-helper exec -- npm install: %s", r)
	}
	if h.fake.Calls(fake.OpNPM) == 0 || h.fake.TokenCalls() != 1 {
		t.Fatalf("npm calls %d, token calls %d; want some, one", h.fake.Calls(fake.OpNPM), h.fake.TokenCalls())
	}
	// Plain npm has no token: the install above depended on exec's.
	if r := h.runIn(project, nil, "npm", "view", "left-pad", "version"); r.code == 0 {
		t.Fatalf("npm succeeded without ca-helper exec: %s", r)
	}
	if b, _ := os.ReadFile(npmrc); !bytes.Equal(b, first) {
		t.Errorf("npm or exec changed %s: %q", npmrc, b)
	}
	checkFiles(t, h, leakNeedles(h.fake.IssuedTokens()), "", h.home, project)
}

// TestNpmSetupProjectFiles: a project's .npmrc (0644, to commit), a token
// written by `aws codeartifact login` replaced and never printed, and a
// file that is not text left untouched with exit 2.
func TestNpmSetupProjectFiles(t *testing.T) {
	h := npmHarness(t)
	registry := h.fake.URL() + "/npm/releases/"
	auth := strings.TrimPrefix(registry, "http:") + ":_authToken="
	setup := func(dir string, args ...string) result {
		return h.run("ca-helper", append([]string{"setup", "--tool", "npm", "--repository", "releases", "--project", dir}, args...)...)
	}

	scoped := t.TempDir()
	r := setup(scoped, "--scope", "@my-org")
	b, _ := os.ReadFile(filepath.Join(scoped, ".npmrc"))
	if r.code != 0 || string(b) != "@my-org:registry="+registry+"\n"+auth+"${CODEARTIFACT_AUTH_TOKEN}\n" {
		t.Fatalf("setup --scope: %s\n%q", r, b)
	}
	if st, err := os.Stat(filepath.Join(scoped, ".npmrc")); runtime.GOOS != "windows" && (err != nil || st.Mode().Perm() != 0o644) {
		t.Errorf("project .npmrc mode %v (%v), want 0644", st.Mode().Perm(), err)
	}

	tok := h.mustGet()
	literal := t.TempDir()
	old := "# from aws codeartifact login\nregistry=" + registry + "\n" + auth + tok + "\nsave-exact=true\n"
	if err := os.WriteFile(filepath.Join(literal, ".npmrc"), []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	r = setup(literal)
	b, _ = os.ReadFile(filepath.Join(literal, ".npmrc"))
	wantFile := strings.Replace(old, tok, "${CODEARTIFACT_AUTH_TOKEN}", 1)
	if r.code != 0 || string(b) != wantFile || !strings.Contains(r.stderr, "replaced the token") {
		t.Fatalf("literal token not replaced: %s\n%q", r, b)
	}
	if strings.Contains(r.stdout+r.stderr, tok[:32]) {
		t.Fatal("setup printed the token it replaced")
	}
	if entries, _ := os.ReadDir(literal); len(entries) != 1 {
		t.Errorf("setup left more than .npmrc in the project (a backup with the token?): %v", entries)
	}

	for name, content := range map[string]string{
		"binary": "registry=x\x00\x01\x02\n", "huge": strings.Repeat("# padding\n", 110_000), "not UTF-8": "a=\xff\xfe\n",
	} {
		dir := t.TempDir()
		path := filepath.Join(dir, ".npmrc")
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		r := setup(dir)
		wantFailure(t, r, 2, ".npmrc")
		if b, _ := os.ReadFile(path); string(b) != content {
			t.Errorf("%s: the malformed .npmrc was changed", name)
		}
		if r := setup(dir, "--dry-run"); r.code != 2 {
			t.Errorf("%s: setup --dry-run exit %d, want 2", name, r.code)
		}
	}
}

// TestNpmPublishThroughExec: a project's .npmrc from setup --project, then
// `ca-helper exec -- npm publish` reaches the fake with the token; without
// exec, npm publish is refused.
func TestNpmPublishThroughExec(t *testing.T) {
	h := npmHarness(t)
	project := t.TempDir()
	manifest := `{"name":"ca-helper-demo","version":"1.2.3","description":"published by a test","license":"MIT"}`
	if err := os.WriteFile(filepath.Join(project, "package.json"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := h.run("ca-helper", "setup", "--tool", "npm", "--repository", "releases", "--project", project); r.code != 0 {
		t.Fatalf("setup --project: %s", r)
	}
	if r := h.runIn(project, nil, "npm", "publish"); r.code == 0 || len(h.fake.NPMPublished("releases", "ca-helper-demo")) != 0 {
		t.Fatalf("npm publish without a token succeeded: %s", r)
	}
	r := h.runIn(project, nil, "ca-helper", "exec", "--", "npm", "publish")
	if got := h.fake.NPMPublished("releases", "ca-helper-demo"); r.code != 0 || len(got) != 1 || got[0] != "1.2.3" {
		t.Fatalf("ca-helper exec -- npm publish: %s\npublished %v", r, got)
	}
	checkFiles(t, h, leakNeedles(h.fake.IssuedTokens()), "", h.home, project)
}

// TestEndpointFormats: endpoint prints GetRepositoryEndpoint's answer for
// each format, dualstack included, and fetches no token.
func TestEndpointFormats(t *testing.T) {
	h := newHarness(t, fake.Options{})
	for _, format := range []string{"maven", "npm", "pypi", "cargo", "nuget", "swift", "generic"} {
		for _, kind := range []string{"ipv4", "dualstack"} {
			r := h.run("ca-helper", "endpoint", "--package-format", format, "--repository", "releases", "--endpoint-type", kind)
			if want := h.fake.URL() + "/" + format + "/releases/\n"; r.code != 0 || r.stdout != want {
				t.Errorf("endpoint %s %s: %s; want %q", format, kind, r, want)
			}
		}
	}
	wantFailure(t, h.run("ca-helper", "endpoint", "--package-format", "npm", "--repository", "missing"), 1, "repository missing not found")
	if n := h.fake.TokenCalls(); n != 0 {
		t.Errorf("endpoint fetched %d tokens", n)
	}
}
