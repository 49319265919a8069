package test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/testenv"
)

// TestMixedToolSession is one developer's session in one HOME: setup for
// npm, Yarn, pip, uv, Poetry and twine, then an install through each (an
// upload for twine), from an empty cache. The token is fetched once for all of them: every exec
// after the first reads the shared cache. No file holds the token.
func TestMixedToolSession(t *testing.T) {
	for _, tool := range []struct{ name, fix string }{
		{"npm", "apt-get install -y npm"}, {"uv", "pip install uv==0.13.9"}, {"poetry", "pip install poetry==2.5.1"},
		{"twine", "pip install twine==7.0.0"},
	} {
		testenv.Tool(t, tool.name, tool.fix, "--version")
	}
	pip := requirePip(t)
	h, _ := yarnHarness(t)
	setPythonEnv(h)
	h.env["npm_config_update_notifier"] = "false"
	h.env["npm_config_fund"] = "false"
	h.env["PIP_NO_INPUT"] = "1"
	h.env["PIP_KEYRING_PROVIDER"] = "disabled"
	h.env["PIP_ROOT_USER_ACTION"] = "ignore"
	h.env["CODEARTIFACT_REPOSITORY"] = "releases" // the session's repository, for setup and exec alike

	npmProject := pnpmProject(t, "left-pad")
	yarnDir := yarnProject(t, "yarn-demo", "nodeLinker: node-modules\n", "is-even")
	uvProject := pyProject(t, "")
	poetryProject := pyProject(t, "\n[tool.poetry]\npackage-mode = false\n")
	pipTarget := t.TempDir()
	wheel := writeWheel(t, t.TempDir(), "session-pkg", "0.1.0")
	for _, s := range []struct {
		dir  string
		args []string
	}{
		{"", []string{"setup", "--tool", "npm"}},
		{"", []string{"setup", "--tool", "yarn"}},
		{"", []string{"setup", "--tool", "uv"}},
		{"", []string{"setup", "--tool", "pip"}},
		{"", []string{"setup", "--tool", "twine"}},
		{poetryProject, []string{"setup", "--tool", "poetry"}},
	} {
		if r := h.runIn(s.dir, nil, "ca-helper", s.args...); r.code != 0 {
			t.Fatalf("ca-helper %s: %s", strings.Join(s.args, " "), r)
		}
	}
	if n := h.fake.TokenCalls(); n != 0 {
		t.Fatalf("setup fetched %d tokens; it needs none", n)
	}

	for _, s := range []struct {
		dir  string
		args []string
	}{
		{npmProject, []string{"npm", "install"}},
		{yarnDir, []string{"yarn", "install"}},
		{"", []string{pip, "install", "--no-cache-dir", "--target", pipTarget, "hello-pkg"}},
		{uvProject, []string{"uv", "sync"}},
		{poetryProject, []string{"poetry", "install"}},
		{"", []string{"twine", "upload", "--non-interactive", "--disable-progress-bar", wheel}},
	} {
		if r := h.runIn(s.dir, nil, "ca-helper", append([]string{"exec", "--"}, s.args...)...); r.code != 0 {
			t.Fatalf("ca-helper exec -- %s: %s", strings.Join(s.args, " "), r)
		}
	}
	installed := []bool{
		fromFake(npmProject, "left-pad"), fromFake(yarnDir, "is-even"),
		fileExists(filepath.Join(pipTarget, "hello_pkg-1.0.0.dist-info", "METADATA")),
		hasDistInfo(filepath.Join(uvProject, ".venv"), "hello_pkg-1.0.0.dist-info"),
		hasDistInfo(filepath.Join(poetryProject, ".venv"), "hello_pkg-1.0.0.dist-info"),
		len(h.fake.PyPIUploaded("releases", "session-pkg")) == 1,
	}
	for i, ok := range installed {
		if !ok {
			t.Errorf("step %d of npm, yarn, pip, uv, poetry installs and the twine upload did not reach the fake", i)
		}
	}
	if n := h.fake.TokenCalls(); n != 1 {
		t.Errorf("%d token fetches for the session, want 1 (the shared cache)", n)
	}
	if entries, _ := os.ReadDir(h.cache); len(entries) == 0 {
		t.Errorf("no cache under %s", h.cache)
	}
	checkFiles(t, h, leakNeedles(h.fake.IssuedTokens()), "", h.home, npmProject, yarnDir, uvProject, poetryProject, pipTarget)
}
