package command

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
	"github.com/ca-helper/ca-helper/helper/failure"
)

// fakeSystem is a System for in-process command tests. Its environment is
// only what the test sets, on top of a private cache dir, a config file that
// is not there and an AWS config that says nothing; AWS refuses every call;
// stdout and stderr are buffers. Nothing of the shell that runs the tests
// reaches a command.
type fakeSystem struct {
	t    *testing.T
	vars map[string]string
	aws  cmdenv.AWS
	wd   string
}

func newSystem(t *testing.T) *fakeSystem {
	t.Helper()
	s := &fakeSystem{t: t, aws: refusingAWS{}, wd: t.TempDir(), vars: map[string]string{
		"HOME":                        t.TempDir(),
		"CA_HELPER_CACHE_DIR":         t.TempDir(),
		"CA_HELPER_CONFIG":            filepath.Join(t.TempDir(), "missing.toml"),
		"AWS_CONFIG_FILE":             filepath.Join(t.TempDir(), "aws-config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(t.TempDir(), "aws-credentials"),
		"AWS_EC2_METADATA_DISABLED":   "true",
		"GIT_CONFIG_NOSYSTEM":         "1", // doctor's git check reads git's config
	}}
	return s
}

// setenv sets a variable of the test's environment ("" unsets it).
func (s *fakeSystem) setenv(k, v string) {
	s.vars[k] = v
}

func (s *fakeSystem) getenv(k string) string { return s.vars[k] }

func (s *fakeSystem) environ() []string {
	var env []string
	for k, v := range s.vars {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// system is the System the command sees, writing to out and errOut.
func (s *fakeSystem) system(stdin string, out, errOut io.Writer) System {
	return System{AWS: s.aws, Stdin: strings.NewReader(stdin), Stdout: out, Stderr: errOut,
		Getenv: s.getenv, Environ: s.environ, Getwd: func() (string, error) { return s.wd, nil }, Now: time.Now}
}

// run runs `ca-helper ARGS` through Run, as main does.
func (s *fakeSystem) run(args ...string) (code int, stdout, stderr string) {
	s.t.Helper()
	var out, errOut bytes.Buffer
	code = Run(context.Background(), s.system("", &out, &errOut), append([]string{"ca-helper"}, args...))
	return code, out.String(), errOut.String()
}

func TestRunUsageErrors(t *testing.T) {
	target := []string{"--domain", "my-domain", "--domain-owner", "111122223333", "--region", "eu-west-1"}
	tests := []struct {
		name   string
		args   []string
		env    map[string]string
		config string // written to CA_HELPER_CONFIG when set
		want   string // in the error line; CONFIG stands for the config path
	}{
		{name: "unknown flag", args: append([]string{"get", "--bogus"}, target...), want: "unknown flag --bogus"},
		{name: "unknown global flag", args: []string{"--bogus", "get"}, want: "unknown flag --bogus"},
		{name: "flag without value", args: []string{"get", "--domain"}, want: "domain"},
		{name: "unknown command", args: []string{"frobnicate"}, want: `unknown command "frobnicate"`},
		{name: "bad domain", args: []string{"get", "--domain", "Bad_Domain", "--domain-owner", "111122223333", "--region", "eu-west-1"},
			want: `invalid domain "Bad_Domain" from flag --domain`},
		{name: "bad owner env", args: []string{"get", "--domain", "my-domain", "--region", "eu-west-1"},
			env: map[string]string{"CODEARTIFACT_DOMAIN_OWNER": "12345"}, want: "from env CODEARTIFACT_DOMAIN_OWNER"},
		{name: "bad AWS_REGION", args: []string{"get", "--domain", "my-domain"},
			env: map[string]string{"AWS_REGION": "eu west 1"}, want: "from env AWS_REGION"},
		{name: "bad config line", args: []string{"get"}, config: "default = \"work\"\n[targets.work]\ndomain = \"x\n",
			want: "config CONFIG:3:"},
		{name: "bad value in config", args: []string{"get", "--target", "work"}, config: "[targets.work]\ndomain = \"my-domain\"\nregion = \"mars\"\n",
			want: `invalid region "mars" from config CONFIG:3 (targets.work.region)`},
		{name: "unknown target", args: []string{"get", "-t", "nope"}, want: `flag --target names target "nope"`},
		{name: "no domain", args: []string{"get"}, want: "no CodeArtifact domain"},
		{name: "bad url", args: []string{"get", "--url", "http://my-domain-111122223333.d.codeartifact.eu-west-1.amazonaws.com/maven/r1/"},
			want: "invalid flag --url"},
		{name: "bad duration", args: append([]string{"get", "--duration", "5m"}, target...), want: `invalid duration "5m" from flag --duration`},
		{name: "bad format", args: append([]string{"get", "--format", "xml"}, target...), want: `invalid format "xml"`},
		{name: "bad cache env", args: append([]string{"get"}, target...), env: map[string]string{"CA_HELPER_CACHE": "memory"},
			want: "from env CA_HELPER_CACHE"},
		{name: "erase bad domain", args: []string{"erase", "--domain", "-x"}, want: "invalid domain"},
		{name: "status bad cache", args: []string{"status", "--cache", "bogus"}, want: "invalid cache"},
		{name: "setup unknown tool", args: append([]string{"setup", "--tool", "bogus", "--repository", "r1"}, target...), want: `cannot set up tool "bogus"`},
		{name: "setup without tool", args: append([]string{"setup", "--repository", "r1"}, target...), want: "no tool given"},
		{name: "setup bad scope", args: append([]string{"setup", "--tool", "npm", "--scope", "My", "--repository", "r1"}, target...), want: `invalid scope "My"`},
		{name: "setup bad env var", args: append([]string{"setup", "--tool", "npm", "--env-var", "A-B", "--repository", "r1"}, target...), want: "invalid environment variable name"},
		{name: "setup no repository", args: append([]string{"setup", "--tool", "npm"}, target...), want: "no repository given"},
		{name: "setup project not a dir", args: append([]string{"setup", "--tool", "npm", "--project", "/no/such/dir", "--repository", "r1"}, target...), want: "is not a directory"},
		{name: "endpoint no format", args: append([]string{"endpoint", "--repository", "r1"}, target...), want: "no package format given"},
		{name: "endpoint bad format", args: append([]string{"endpoint", "--package-format", "jar", "--repository", "r1"}, target...), want: `unknown package format "jar"`},
		{name: "endpoint bad type", args: append([]string{"endpoint", "--package-format", "npm", "--endpoint-type", "ipv6", "--repository", "r1"}, target...), want: `invalid endpoint type "ipv6"`},
		{name: "endpoint no repository", args: append([]string{"endpoint", "--package-format", "npm"}, target...), want: "no repository given"},
		{name: "exec pip without repository", args: append([]string{"exec", "--tool", "pip"}, append(target, "--", "true")...), want: "pip needs the repository"},
		{name: "settings bad endpoint type", args: append([]string{"settings", "--endpoint-type", "v6", "--repository", "r1"}, target...), want: `invalid endpoint type "v6"`},
		{name: "exec unknown tool", args: append([]string{"exec", "--tool", "bogus"}, append(target, "--", "true")...), want: `unknown tool "bogus"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sys := newSystem(t)
			configPath := ""
			if tt.config != "" {
				configPath = writeFile(t, "config.toml", tt.config)
				sys.setenv("CA_HELPER_CONFIG", configPath)
			}
			for k, v := range tt.env {
				sys.setenv(k, v)
			}
			code, stdout, stderr := sys.run(tt.args...)
			if code != failure.Usage {
				t.Errorf("exit code = %d, want %d", code, failure.Usage)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			if len(lines) != 2 || !strings.HasSuffix(stderr, "\n") {
				t.Fatalf("stderr = %q, want an error line and a hint line", stderr)
			}
			msg, ok := strings.CutPrefix(lines[0], "ca-helper: error: ")
			if !ok {
				t.Errorf("first line %q lacks the error prefix", lines[0])
			}
			if !strings.HasPrefix(lines[1], "ca-helper: hint: ") || len(lines[1]) == len("ca-helper: hint: ") {
				t.Errorf("second line %q is not a hint", lines[1])
			}
			if msg != "" && unicode.IsUpper([]rune(msg)[0]) {
				t.Errorf("message %q does not start lowercase", msg)
			}
			if want := strings.ReplaceAll(tt.want, "CONFIG", configPath); !strings.Contains(msg, want) {
				t.Errorf("error %q does not contain %q", msg, want)
			}
		})
	}
}

func TestRunVersion(t *testing.T) {
	sys := newSystem(t)
	code, stdout, stderr := sys.run("version")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if !strings.HasPrefix(stdout, "ca-helper ") || strings.Count(stdout, "\n") != 1 || !strings.HasSuffix(stdout, "\n") {
		t.Errorf("stdout = %q, want one line starting with ca-helper", stdout)
	}
}

// An exported but empty variable means "not set", as it does for
// CODEARTIFACT_* and the other CA_HELPER_* options (export X=$MAYBE_EMPTY in CI).
func TestRunEmptyEnvIsUnset(t *testing.T) {
	for _, name := range []string{"CA_HELPER_FORMAT", "CA_HELPER_SHELL", "CA_HELPER_ENV_VAR", "CA_HELPER_DURATION", "CA_HELPER_TARGET"} {
		t.Run(name, func(t *testing.T) {
			sys := newSystem(t)
			sys.setenv(name, "")
			code, stdout, stderr := sys.run("get", "--domain", "Bad_Domain")
			if code != failure.Usage || stdout != "" || !strings.Contains(stderr, `invalid domain "Bad_Domain"`) {
				t.Errorf("with %s empty: exit %d, stdout %q, stderr %q; want the bad domain reported", name, code, stdout, stderr)
			}
		})
	}
}
