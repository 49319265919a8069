package test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
	"github.com/ca-helper/ca-helper/test/testenv"
)

// requirePip returns the pip command on PATH ("pip", else "pip3"), once
// `python3 -m pip` runs; else the test skips (outside CI) or fails (in CI).
func requirePip(t *testing.T) string {
	t.Helper()
	testenv.Tool(t, "python3", "apt-get install -y python3-pip", "-m", "pip", "--version")
	for _, name := range []string{"pip", "pip3"} {
		if _, err := exec.LookPath(name); err == nil {
			return name
		}
	}
	testenv.Missing(t, "neither pip nor pip3 is on PATH; fix: apt-get install -y python3-pip")
	return ""
}

// TestPipThroughExec is the pip recipe of docs/clients.md against the fake's PyPI
// route: the index URL, token included, reaches pip through PIP_INDEX_URL,
// so the token is in pip's environment and never in an argv.
func TestPipThroughExec(t *testing.T) {
	pip := requirePip(t)
	h := newHarness(t, fake.Options{})
	for k, v := range map[string]string{
		"PIP_CONFIG_FILE":               os.DevNull, // no user, site or global config
		"PIP_NO_INPUT":                  "1",
		"PIP_DISABLE_PIP_VERSION_CHECK": "1",
		"PIP_KEYRING_PROVIDER":          "disabled",
		"PIP_ROOT_USER_ACTION":          "ignore",
	} {
		h.env[k] = v
	}
	host := strings.TrimPrefix(h.fake.URL(), "http://")
	index := host + "/pypi/releases/simple/"
	withToken := `PIP_INDEX_URL="http://aws:${CODEARTIFACT_AUTH_TOKEN}@` + index + `" ` + pip
	pipExec := func(script, dir string) result {
		t.Helper()
		return h.run("ca-helper", "exec", "--", "sh", "-c", withToken+" "+script, "sh", dir)
	}

	downloads := t.TempDir()
	r := pipExec(`download --no-deps --disable-pip-version-check --no-cache-dir -d "$1" hello-pkg==1.0.0`, downloads)
	if r.code != 0 || !fileExists(filepath.Join(downloads, "hello_pkg-1.0.0-py3-none-any.whl")) {
		t.Fatalf("pip download through ca-helper exec: %s", r)
	}
	target := t.TempDir()
	installed := pipExec(`install --no-cache-dir --target "$1" hello-pkg`, target)
	if installed.code != 0 || !fileExists(filepath.Join(target, "hello_pkg-1.0.0.dist-info", "METADATA")) {
		t.Fatalf("pip install through ca-helper exec: %s", installed)
	}
	h.env["PYTHONPATH"] = target
	if imp := h.run("python3", "-c", "import hello_pkg; print(hello_pkg.NAME)"); strings.TrimSpace(imp.stdout) != "hello-pkg" {
		t.Fatalf("import the installed module: %s", imp)
	}

	issued := h.fake.IssuedTokens()
	if len(issued) != 1 {
		t.Fatalf("%d tokens issued, want 1 (the second exec reads the cache)", len(issued))
	}
	for _, out := range []result{r, installed} {
		if strings.Contains(out.stdout+out.stderr, issued[0]) || strings.Contains(out.stdout+out.stderr, "pypi.org") ||
			!strings.Contains(out.stdout, index) {
			t.Fatalf("pip printed the token, or an index other than the fake:\n%s", out)
		}
	}
	wantPyPIRequests(t, h.fake, issued[0])

	// Without the token the same download is refused, so the runs above
	// really depended on the token ca-helper put in the environment.
	h.env["PIP_INDEX_URL"] = "http://" + index
	before := h.fake.Calls(fake.OpPyPI)
	bare := t.TempDir()
	r = h.run(pip, "download", "--no-deps", "--no-cache-dir", "-d", bare, "hello-pkg==1.0.0")
	reqs := h.fake.Requests()
	if r.code == 0 || fileExists(filepath.Join(bare, "hello_pkg-1.0.0-py3-none-any.whl")) ||
		h.fake.Calls(fake.OpPyPI) == before || reqs[len(reqs)-1].Status != 401 {
		t.Fatalf("pip without a token: %s", r)
	}
}

// TestPipExecSetsIndex: `ca-helper exec --repository releases -- pip …`
// looks up the PyPI endpoint and hands pip its index, token included, in
// PIP_INDEX_URL; without a repository pip gets CODEARTIFACT_AUTH_TOKEN only.
func TestPipExecSetsIndex(t *testing.T) {
	pip := requirePip(t)
	h := newHarness(t, fake.Options{})
	for k, v := range map[string]string{
		"PIP_CONFIG_FILE": os.DevNull, "PIP_NO_INPUT": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1",
		"PIP_KEYRING_PROVIDER": "disabled", "PIP_ROOT_USER_ACTION": "ignore",
	} {
		h.env[k] = v
	}
	downloads := t.TempDir()
	r := h.run("ca-helper", "exec", "--repository", "releases", "--", pip, "download", "--no-deps", "--no-cache-dir", "-d", downloads, "hello-pkg==1.0.0")
	if r.code != 0 || !fileExists(filepath.Join(downloads, "hello_pkg-1.0.0-py3-none-any.whl")) {
		t.Fatalf("ca-helper exec -- pip download: %s", r)
	}
	issued := h.fake.IssuedTokens()
	if len(issued) != 1 || strings.Contains(r.stdout+r.stderr, issued[0]) {
		t.Fatalf("%d tokens issued, or pip printed the token:\n%s", len(issued), r)
	}
	wantPyPIRequests(t, h.fake, issued[0])

	r = h.run("ca-helper", "exec", "--debug", "--", pip, "--version")
	if r.code != 0 || !strings.Contains(r.stderr, "no repository given: pip gets CODEARTIFACT_AUTH_TOKEN only") {
		t.Fatalf("exec -- pip without a repository: %s", r)
	}
}

// wantPyPIRequests checks that pip reached the fake's PyPI route, and only
// ever with a valid token (200) that starts like tok, the one issued.
func wantPyPIRequests(t *testing.T, f *fake.Server, tok string) {
	t.Helper()
	n := 0
	for _, req := range f.Requests() {
		if req.Op != fake.OpPyPI {
			continue
		}
		n++
		if (req.Status != 200 && req.Status != 206) || req.TokenPrefix == "" || !strings.HasPrefix(tok, req.TokenPrefix) {
			t.Errorf("pypi request %+v, want 200 (or 206, a range) with the issued token", req)
		}
	}
	if n == 0 {
		t.Fatal("pip never reached the fake's PyPI route")
	}
}

// TestExecKnowsStandardEndpoints: with a target that names domain, owner,
// region and repository and no endpoint override in the environment, exec
// builds the repository's URL itself, so a cached `exec -- twine` or
// `exec -- pip` makes no AWS call at all. With AWS_ENDPOINT_URL_CODEARTIFACT
// (as every other test has) it asks GetRepositoryEndpoint. Here the token
// comes from the fake through the AWS config's endpoint_url, which the
// SDK reads and which leaves the environment clean.
func TestExecKnowsStandardEndpoints(t *testing.T) {
	h := newHarness(t, fake.Options{})
	awsConfig := filepath.Join(h.home, "aws-config")
	writeFile(t, awsConfig, "[default]\nendpoint_url = "+h.fake.URL()+"\n")
	h.env["AWS_CONFIG_FILE"] = awsConfig
	show := []string{"sh", "-c", `printf '%s\n' "$TWINE_REPOSITORY_URL" "${PIP_INDEX_URL#*@}"`}
	args := append([]string{"exec", "--region", "us-east-1", "--repository", "releases", "--tool"}, "twine", "--")

	r := h.run("ca-helper", append(args, show...)...)
	if r.code != 0 || !strings.HasPrefix(r.stdout, h.fake.URL()+"/pypi/releases/\n") || h.fake.Calls(fake.OpGetRepositoryEndpoint) != 1 {
		t.Fatalf("with AWS_ENDPOINT_URL_CODEARTIFACT: %s (endpoint calls %d, want 1)", r, h.fake.Calls(fake.OpGetRepositoryEndpoint))
	}
	delete(h.env, "AWS_ENDPOINT_URL_CODEARTIFACT")
	want := "https://demo-" + testOwner + ".d.codeartifact.us-east-1.amazonaws.com/pypi/releases/"
	r = h.run("ca-helper", append(args, show...)...)
	if r.code != 0 || !strings.HasPrefix(r.stdout, want+"\n") {
		t.Fatalf("without an override: %s, want %s", r, want)
	}
	args[len(args)-2] = "pip"
	r = h.run("ca-helper", append(args, show...)...)
	if r.code != 0 || !strings.HasSuffix(r.stdout, strings.TrimPrefix(want, "https://")+"simple/\n") {
		t.Fatalf("pip without an override: %s", r)
	}
	if n := h.fake.Calls(fake.OpGetRepositoryEndpoint); n != 1 {
		t.Errorf("endpoint calls %d, want 1 (the runs without an override ask nothing)", n)
	}
}
