package test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
	"github.com/ca-helper/ca-helper/test/testenv"
)

// keyringVersion is the keyring .ci/run installs (python_tools).
const keyringVersion = "25.7.0"

// keyringBackend is the keyring CLI with ca-helper's backend
// (python/keyrings/cahelper.py) beside it, never installed anywhere: a
// directory holding the module and a dist-info with its entry point, put
// on PYTHONPATH by a `keyring` script first on PATH, which logs its argv.
type keyringBackend struct {
	dir    string // first on PATH: the keyring script
	python string // the interpreter of the real keyring
	log    string // one line per run: its arguments, each in []
}

func newKeyringBackend(t *testing.T) keyringBackend {
	t.Helper()
	real := testenv.Tool(t, "keyring", "pip install keyring=="+keyringVersion+" (.ci/run installs it)", "--help")
	b, err := os.ReadFile(real)
	first, _, _ := strings.Cut(string(b), "\n")
	python := strings.TrimSpace(strings.TrimPrefix(first, "#!"))
	if err != nil || !strings.HasPrefix(first, "#!/") || strings.ContainsAny(python, " \t") {
		t.Fatalf("cannot tell keyring's python from the first line of %s: %q (%v)", real, first, err)
	}
	site := t.TempDir()
	module, err := os.ReadFile(filepath.Join("..", "python", "keyrings", "cahelper.py"))
	if err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Project struct {
			Name, Version string
			EntryPoints   map[string]map[string]string `toml:"entry-points"`
		}
	}
	if _, err := toml.DecodeFile(filepath.Join("..", "python", "pyproject.toml"), &meta); err != nil {
		t.Fatal(err)
	}
	ep := meta.Project.EntryPoints["keyring.backends"]["cahelper"]
	if meta.Project.Name != "keyrings.cahelper" || ep != "keyrings.cahelper" {
		t.Fatalf("python/pyproject.toml: name %q, keyring.backends entry point %q", meta.Project.Name, ep)
	}
	distInfo := filepath.Join(site, meta.Project.Name+"-"+meta.Project.Version+".dist-info")
	writeFile(t, filepath.Join(site, "keyrings", "cahelper.py"), string(module))
	writeFile(t, filepath.Join(distInfo, "METADATA"), "Metadata-Version: 2.1\nName: "+meta.Project.Name+"\nVersion: "+meta.Project.Version+"\n")
	writeFile(t, filepath.Join(distInfo, "entry_points.txt"), "[keyring.backends]\ncahelper = "+ep+"\n")

	k := keyringBackend{dir: t.TempDir(), python: python, log: filepath.Join(t.TempDir(), "keyring-argv.log")}
	script := "#!/bin/sh\n{ for a in \"$@\"; do printf '[%s]' \"$a\"; done; echo; } >> '" + k.log + "'\n" +
		"PYTHONPATH='" + site + "' exec '" + python + "' -m keyring \"$@\"\n"
	if err := os.WriteFile(filepath.Join(k.dir, "keyring"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return k
}

// program is the keyring script: the harness runs a bare name from the
// test's own PATH, not the one it gives the programs.
func (k keyringBackend) program() string { return filepath.Join(k.dir, "keyring") }

// calls are the argument lists the keyring script was run with so far.
func (k keyringBackend) calls() []string {
	b, _ := os.ReadFile(k.log)
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

// TestKeyringBackendPlainPipAndUv: after `setup --tool pip --keyring` and
// `setup --tool uv --keyring`, plain pip and plain uv (no ca-helper exec)
// install from the fake, served over TLS on 127.0.0.1 and pinned as a
// config target's host: each runs `keyring get`, whose backend runs
// `ca-helper credential get`. One token serves both; no file and no argv
// holds it; a host that is not CodeArtifact gets nothing.
func TestKeyringBackendPlainPipAndUv(t *testing.T) {
	pip := requirePip(t)
	uv := testenv.Tool(t, "uv", "pip install uv==0.13.9", "--version")
	kr := newKeyringBackend(t)
	h := newHarness(t, fake.Options{})
	setPythonEnv(h)
	delete(h.env, "PYTHON_KEYRING_BACKEND") // keyring picks its backend itself
	reg := startCargoRegistry(t, h)         // the fake over TLS, as pip and the backend want https
	endpoint := "https://" + reg.host + "/pypi/releases/"
	index := "https://aws@" + reg.host + "/pypi/releases/simple/"
	for k, v := range map[string]string{
		"PATH":             kr.dir + string(os.PathListSeparator) + h.env["PATH"],
		"PIP_CERT":         reg.caFile,
		"UV_INSECURE_HOST": reg.host, // uv's rustls refuses httptest's certificate (a CA as end entity)
		"PIP_NO_INPUT":     "1", "PIP_ROOT_USER_ACTION": "ignore", "PIP_NO_CACHE_DIR": "1",
		// The endpoint is looked up on the fake's TLS listener, so it is https.
		"AWS_ENDPOINT_URL_CODEARTIFACT": "https://" + reg.host, "AWS_CA_BUNDLE": reg.caFile,
	} {
		h.env[k] = v
	}
	writeFile(t, filepath.Join(h.home, ".config", "ca-helper", "config.toml"),
		"[targets.fake]\ndomain = \"demo\"\ndomain_owner = \""+testOwner+"\"\nregion = \"us-east-1\"\nhost = \""+reg.host+"\"\n")

	// keyring sees our backend and nothing that could reach a real keyring.
	r := h.run(kr.program(), "--list-backends")
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if !strings.HasPrefix(line, "keyrings.cahelper.CAHelperKeyring (priority: 9)") &&
			!strings.HasPrefix(line, "keyring.backends.chainer.ChainerBackend") && !strings.HasPrefix(line, "keyring.backends.fail.Keyring") {
			t.Fatalf("keyring --list-backends shows a backend besides ca-helper's: %q\n%s", line, r)
		}
	}
	if r.code != 0 || !strings.Contains(r.stdout, "keyrings.cahelper.CAHelperKeyring") {
		t.Fatalf("keyring --list-backends does not show ca-helper's backend: %s", r)
	}

	conf := filepath.Join(h.home, ".config", "pip", "pip.conf")
	r = h.run("ca-helper", "setup", "--tool", "pip", "--repository", "releases", "--keyring")
	if b, _ := os.ReadFile(conf); r.code != 0 || string(b) != "[global]\nindex-url = "+index+"\nkeyring-provider = subprocess\n" ||
		!strings.Contains(r.stderr, "run pip as usual: it asks the keyring backend, which asks ca-helper") || strings.Contains(r.stderr, "warning") {
		t.Fatalf("setup --tool pip --keyring: %s\n%s holds %q", r, conf, b)
	}
	uvConf := filepath.Join(h.home, ".config", "uv", "uv.toml")
	r = h.run("ca-helper", "setup", "--tool", "uv", "--repository", "releases", "--keyring")
	want := "keyring-provider = \"subprocess\"\n\n[[index]]\nname = \"releases\"\nurl = \"" + index + "\"\npublish-url = \"" + endpoint + "\"\n" +
		"default = true\nauthenticate = \"always\"\n"
	if b, _ := os.ReadFile(uvConf); r.code != 0 || string(b) != want || !strings.Contains(r.stderr, "run uv as usual") {
		t.Fatalf("setup --tool uv --keyring: %s\n%s holds %q, want %q", r, uvConf, b, want)
	}
	if n := len(h.fake.IssuedTokens()); n != 0 {
		t.Fatalf("setup fetched %d tokens", n)
	}

	watch := watchProcesses(t, kr.python, uv) // pip runs on keyring's python here and in CI
	target := t.TempDir()
	r = h.run(pip, "install", "--target", target, "hello-pkg")
	if r.code != 0 || !fileExists(filepath.Join(target, "hello_pkg-1.0.0.dist-info", "METADATA")) {
		t.Fatalf("plain pip install: %s\nkeyring ran with: %q", r, kr.calls())
	}
	pipCalls := kr.calls()[1:] // after --list-backends
	t.Logf("pip ran keyring with: %q", pipCalls)
	project := pyProject(t, "")
	r = h.runIn(project, nil, "uv", "sync")
	if r.code != 0 || !hasDistInfo(filepath.Join(project, ".venv"), "hello_pkg-1.0.0.dist-info") {
		t.Fatalf("plain uv sync: %s\nkeyring ran with: %q", r, kr.calls())
	}
	uvCalls := kr.calls()[1+len(pipCalls):]
	t.Logf("uv ran keyring with: %q", uvCalls)
	// Both name the user aws, which setup put in the URL: `keyring get URL aws`.
	get := "[get][" + strings.Replace(index, "aws@", "", 1) + "][aws]"
	for _, calls := range [][]string{pipCalls, uvCalls} {
		if len(calls) == 0 || slices.ContainsFunc(calls, func(c string) bool { return c != get }) {
			t.Errorf("keyring ran with %q, want only %q", calls, get)
		}
	}
	watch.stop()
	issued := h.fake.IssuedTokens()
	if len(issued) != 1 || strings.Contains(r.stdout+r.stderr, issued[0]) {
		t.Fatalf("%d tokens issued for pip and uv, want 1; or uv printed it", len(issued))
	}
	wantKeyringRequests(t, h.fake, issued[0])
	checkArgv(t, watch, leakNeedles(issued), "keyring\x00get\x00https://", "ca-helper\x00credential\x00get", "uv\x00sync")
	if lock, _ := os.ReadFile(filepath.Join(project, "uv.lock")); !strings.Contains(string(lock), `source = { registry = "https://`+reg.host+`/pypi/releases/simple/" }`) {
		t.Errorf("uv.lock does not resolve hello-pkg from the fake:\n%s", lock)
	}

	// Without a user in the URL uv runs `keyring get URL --mode creds`: the
	// backend answers that too, with the user aws.
	r = h.run(kr.program(), "get", strings.Replace(index, "aws@", "", 1), "--mode", "creds")
	if r.code != 0 || r.stdout != "aws\n"+issued[0]+"\n" {
		t.Errorf("keyring get --mode creds: exit %d, %d bytes out, want aws and the token", r.code, len(r.stdout))
	}

	// Not CodeArtifact, or not https: the backend answers nothing, and
	// ca-helper fetches no token for it.
	for _, url := range []string{"https://pypi.org/simple/", "http://" + reg.host + "/pypi/releases/simple/"} {
		r = h.run(kr.program(), "get", url, "aws")
		if r.code == 0 || r.stdout != "" {
			t.Errorf("keyring get %s aws: want no password: %s", url, r)
		}
	}
	if n := len(h.fake.IssuedTokens()); n != 1 {
		t.Errorf("%d tokens issued after keyring get for other hosts, want still 1", n)
	}
	checkFiles(t, h, leakNeedles(issued), "", h.home, target, project)
}

// wantKeyringRequests checks the fake's PyPI requests: some carried the
// issued token (200), and any other was refused (401) and carried none.
func wantKeyringRequests(t *testing.T, f *fake.Server, tok string) {
	t.Helper()
	ok := 0
	for _, req := range f.Requests() {
		switch {
		case req.Op != fake.OpPyPI:
		case (req.Status == 200 || req.Status == 206) && req.TokenPrefix != "" && strings.HasPrefix(tok, req.TokenPrefix):
			ok++
		case req.Status != 401 || req.TokenPrefix != "":
			t.Errorf("pypi request %+v: want 200 with the issued token, or 401 without one", req)
		}
	}
	if ok == 0 {
		t.Fatal("no PyPI request carried the issued token")
	}
}
