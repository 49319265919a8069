// Package test runs the built ca-helper binary as a user would: real processes,
// real environment variables, the fake CodeArtifact on 127.0.0.1.
package test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// binDir holds ca-helper, mvnw-ca and the git-credential-codeartifact link, as
// install.sh lays them out.
var binDir string

const (
	testKeyID  = "AKIDCAHELPERTEST"
	testSecret = "test-secret-key"
	testOwner  = "111122223333"
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ca-helper-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := 1
	if err := build(dir); err != nil {
		fmt.Fprintln(os.Stderr, "build:", err)
	} else {
		code = m.Run()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

func build(dir string) error {
	root, err := filepath.Abs("..")
	if err != nil {
		return err
	}
	for name, pkg := range map[string]string{"ca-helper": root, "ca-helper-aws": filepath.Join(root, "cmd", "ca-helper-aws")} {
		out, err := exec.Command("go", "build", "-trimpath", "-tags", "urfave_cli_no_docs",
			"-o", filepath.Join(dir, name), pkg).CombinedOutput()
		if err != nil {
			return fmt.Errorf("%v: %s", err, out)
		}
	}
	wrapper, err := os.ReadFile(filepath.Join(root, "mvnw-ca"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "mvnw-ca"), wrapper, 0o755); err != nil {
		return err
	}
	return os.Symlink("ca-helper", filepath.Join(dir, "git-credential-codeartifact"))
}

// harness is one user's machine: a home, a cache dir, AWS env pointing at a fake.
type harness struct {
	t     *testing.T
	fake  *fake.Server
	home  string
	cache string
	env   map[string]string
}

func newHarness(t *testing.T, opts fake.Options) *harness {
	t.Helper()
	if opts.Secrets == nil {
		opts.Secrets = map[string]string{testKeyID: testSecret}
	}
	f := fake.New(opts)
	url, err := f.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	home := t.TempDir()
	h := &harness{t: t, fake: f, home: home, cache: filepath.Join(home, "cache")}
	h.env = map[string]string{
		"PATH":                          binDir + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME":                          home,
		"XDG_CONFIG_HOME":               filepath.Join(home, ".config"),
		"XDG_CACHE_HOME":                filepath.Join(home, ".cache"),
		"XDG_DATA_HOME":                 filepath.Join(home, ".local", "share"),
		"MAVEN_OPTS":                    "-Duser.home=" + home, // Java takes its home from the passwd entry, not $HOME
		"CA_HELPER_CACHE_DIR":           h.cache,
		"CA_HELPER_CACHE":               "file",
		"AWS_ACCESS_KEY_ID":             testKeyID,
		"AWS_SECRET_ACCESS_KEY":         testSecret,
		"AWS_REGION":                    "us-east-1",
		"AWS_ENDPOINT_URL_CODEARTIFACT": url,
		"AWS_ENDPOINT_URL_STS":          url, // the caller's account, for the credential helpers' owner check
		"AWS_CONFIG_FILE":               filepath.Join(home, "aws-config-absent"),
		"AWS_SHARED_CREDENTIALS_FILE":   filepath.Join(home, "aws-credentials-absent"),
		"AWS_EC2_METADATA_DISABLED":     "true",
		"GIT_CONFIG_NOSYSTEM":           "1", // doctor reads git's config
		"CODEARTIFACT_DOMAIN":           "demo",
		"CODEARTIFACT_DOMAIN_OWNER":     testOwner,
	}
	return h
}

// result is what one process printed and returned.
type result struct {
	stdout, stderr string
	code           int
	took           time.Duration
}

func (r result) String() string {
	return fmt.Sprintf("exit %d after %s\nstdout: %q\nstderr: %s", r.code, r.took, r.stdout, r.stderr)
}

// run starts a program from binDir (or PATH) with the harness env.
func (h *harness) run(name string, args ...string) result {
	return h.runIn("", nil, name, args...)
}

func (h *harness) runIn(dir string, stdin []byte, name string, args ...string) result {
	h.t.Helper()
	var in io.Reader
	if stdin != nil {
		in = bytes.NewReader(stdin)
	}
	return h.runInReader(dir, in, name, args...)
}

// runInReader is runIn with stdin read from a stream, for a program that
// waits for input while the test does something.
func (h *harness) runInReader(dir string, stdin io.Reader, name string, args ...string) result {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	path := name
	if !strings.ContainsRune(name, '/') {
		if p := filepath.Join(binDir, name); fileExists(p) {
			path = p
		}
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Dir = dir
	cmd.Env = h.environ()
	if stdin != nil {
		cmd.Stdin = stdin
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errOut.String(), took: time.Since(start)}
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			h.t.Fatalf("run %s: %v", name, err)
		}
		r.code = ee.ExitCode()
	}
	return r
}

func (h *harness) environ() []string {
	var env []string
	for k, v := range h.env {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	if runtime.GOOS == "windows" {
		env = append(env, "SystemRoot="+os.Getenv("SystemRoot"))
	}
	return env
}

// mustGet runs `ca-helper get ARGS` and returns the token it printed.
func (h *harness) mustGet(args ...string) string {
	h.t.Helper()
	r := h.run("ca-helper", append([]string{"get"}, args...)...)
	if r.code != 0 {
		h.t.Fatalf("get failed: %s", r)
	}
	tok := strings.TrimSuffix(r.stdout, "\n")
	if tok == "" || strings.ContainsAny(tok, "\n\r ") {
		h.t.Fatalf("get printed %q, want one token line", r.stdout)
	}
	if !h.fake.ValidToken(tok) {
		h.t.Fatalf("get printed a token the fake did not issue")
	}
	return tok
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// wantClean checks the shape every failure must have: nothing on stdout, an
// error line and a hint line on stderr.
func wantFailure(t *testing.T, r result, code int, errPart string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit code %d, want %d\n%s", r.code, code, r)
	}
	if r.stdout != "" {
		t.Errorf("stdout not empty on failure: %q", r.stdout)
	}
	if !strings.Contains(r.stderr, "ca-helper: error: ") || !strings.Contains(r.stderr, "ca-helper: hint: ") {
		t.Errorf("stderr lacks an error and a hint line:\n%s", r.stderr)
	}
	if errPart != "" && !strings.Contains(r.stderr, errPart) {
		t.Errorf("stderr does not mention %q:\n%s", errPart, r.stderr)
	}
}

func runCmd(name string, args ...string) (string, error) {
	out, err := exec.Command(name, args...).Output()
	return string(out), err
}

// runCmdEnv runs a program with exactly env and returns its stdout, or its
// stdout and stderr with the error.
func runCmdEnv(env []string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return out.String() + errOut.String(), err
	}
	return out.String(), nil
}

// waitFor polls cond for up to 30 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}
