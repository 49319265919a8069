package command

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/helper/awsproc"
	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
	"github.com/ca-helper/ca-helper/helper/doctor"
	"github.com/ca-helper/ca-helper/keyring"
)

// sdkFake is an in-process AWS that runs the doctor checks as ca-helper-aws
// does, on fakes: every AWS question finds no credentials, the network
// reaches nothing. It keeps the request it was given.
type sdkFake struct{ got awsproc.DoctorRequest }

func (f *sdkFake) Token(context.Context, awsproc.Request) (awsproc.Token, error) {
	return awsproc.Token{}, nil
}

func (f *sdkFake) Endpoint(context.Context, awsproc.Request, string, string) (string, error) {
	return "", nil
}

func (f *sdkFake) Account(context.Context, awsproc.Request) (string, error) {
	return "", nil
}

func (f *sdkFake) Doctor(ctx context.Context, req awsproc.DoctorRequest) (doctor.Report, error) {
	f.got = req
	deps := doctor.Deps{AWS: noCredentials{}, Net: unreachable{}, Cache: doctor.FixedCache(req.Cache),
		Now: time.Now, Timeout: req.Timeout}
	// Through the wire form, as the answer of ca-helper-aws is.
	return awsproc.NewDoctorAnswer(doctor.Run(ctx, req.Setup, deps)).Report(), nil
}

// unreachable is a network where nothing answers.
type unreachable struct{}

func (unreachable) Reach(context.Context, string) (doctor.Reach, error) {
	return doctor.Reach{}, &doctor.NetError{Step: "TCP", Host: "127.0.0.1:1", Err: errors.New("connect: connection refused")}
}

func (unreachable) Get(context.Context, string, keyring.Token) (doctor.Response, error) {
	return doctor.Response{}, errors.New("unreachable")
}

type noCredentials struct{}

var errNoCreds = &doctor.CallError{Cause: doctor.CauseNoCredentials, Detail: "no credentials: nothing", Code: 3}

func (noCredentials) Credentials(context.Context) (doctor.Credentials, error) {
	return doctor.Credentials{}, errNoCreds
}
func (noCredentials) Region(context.Context) (string, error) { return "eu-west-1", nil }
func (noCredentials) Endpoint(context.Context) (doctor.Endpoint, error) {
	return doctor.Endpoint{URL: "http://127.0.0.1:1", Source: "env AWS_ENDPOINT_URL"}, nil
}
func (noCredentials) Token(context.Context, time.Duration) (keyring.Token, time.Time, error) {
	return "", time.Time{}, errNoCreds
}
func (noCredentials) RepositoryEndpoint(context.Context, string) (string, error) {
	return "", errNoCreds
}

func runDoctor(sys *fakeSystem, aws cmdenv.AWS, args ...string) (int, string, string) {
	sys.t.Helper()
	sys.aws = aws
	return sys.run(append([]string{"doctor"}, args...)...)
}

func TestDoctorCommand(t *testing.T) {
	sys := newSystem(t)
	cfg := sys.getenv("CA_HELPER_CONFIG")
	target := []string{"--domain", "my-domain", "--domain-owner", "111122223333", "--region", "eu-west-1", "--profile", "dev"}
	tests := []struct {
		name   string
		config string
		args   []string
		code   int
		lines  []string // in stdout
	}{
		{name: "credentials fail", args: target, code: 3,
			lines: []string{"ok    target        my-domain-111122223333 (eu-west-1); domain from flag --domain",
				"fail  credentials   none found in env, profile dev,", "      fix: give profile dev credentials",
				"skip  permissions   not checked: credentials failed"}},
		{name: "config does not parse", config: "[targets.w\n", args: target, code: 2,
			lines: []string{"fail  config        config " + cfg + ":2:", "      fix: fix the config file", "skip  target"}},
		{name: "config with targets", config: "default = \"w\"\n[targets.w]\ndomain = \"my-domain\"\nregion = \"eu-west-1\"\n", code: 3,
			lines: []string{"ok    config        " + cfg + " (env CA_HELPER_CONFIG): 1 target (default w)",
				"ok    target        target w: my-domain (eu-west-1)"}},
		{name: "bad option", args: append([]string{"--cache", "disk"}, target...), code: 2,
			lines: []string{`fail  target        invalid cache "disk" from flag --cache`, "      fix: use auto, keyring, file or none"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			os.Remove(cfg)
			if tt.config != "" {
				if err := os.WriteFile(cfg, []byte(tt.config), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			code, out, errOut := runDoctor(sys, &sdkFake{}, tt.args...)
			if code != tt.code || errOut != "" {
				t.Errorf("exit %d (want %d), stderr %q\n%s", code, tt.code, errOut, out)
			}
			for _, l := range tt.lines {
				if !strings.Contains(out, "\n"+l) && !strings.HasPrefix(out, l) {
					t.Errorf("report lacks %q:\n%s", l, out)
				}
			}
		})
	}
}

func TestDoctorPassesTheTargetToTheSDK(t *testing.T) {
	sys := newSystem(t)
	f := &sdkFake{}
	runDoctor(sys, f, "--domain", "my-domain", "--domain-owner", "111122223333", "--region", "eu-west-1", "--profile", "dev", "--timeout", "7s")
	got := f.got.Setup.Target
	want := doctor.Target{Domain: "my-domain", Owner: "111122223333", Region: "eu-west-1", Profile: "dev"}
	if got.Domain != want.Domain || got.Owner != want.Owner || got.Region != want.Region || got.Profile != want.Profile {
		t.Errorf("target %+v, want %+v", got, want)
	}
	if f.got.Timeout != 7*time.Second || f.got.NetTimeout != 5*time.Second {
		t.Errorf("timeouts %v and %v, want 7s per AWS call and 5s per network step", f.got.Timeout, f.got.NetTimeout)
	}
	if f.got.Cache.Backend == "" || f.got.Cache.Dir != sys.getenv("CA_HELPER_CACHE_DIR") {
		t.Errorf("the cache was not probed here: %+v", f.got.Cache)
	}
}

func TestDoctorJSONFormat(t *testing.T) {
	sys := newSystem(t)
	code, out, _ := runDoctor(sys, &sdkFake{}, "--format", "json", "--domain", "my-domain", "--region", "eu-west-1")
	if code != 3 || !strings.HasPrefix(out, `{"ok":false,"checks":[{"name":"config","status":"ok"`) {
		t.Errorf("exit %d: %s", code, out)
	}
	if code, _, errOut := runDoctor(sys, &sdkFake{}, "--format", "yaml"); code != 2 || !strings.Contains(errOut, `invalid format "yaml"`) {
		t.Errorf("bad format: exit %d, %q", code, errOut)
	}
}

// The checks run in ca-helper-aws; what it answers comes back as the
// report, and an answer that is not one is an error with a hint.
func TestDoctorThroughProcess(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake ca-helper-aws is a shell script")
	}
	tests := []struct {
		name     string
		answer   string
		wantCode int
		want     string
	}{
		{"a report", `{"doctor":{"checks":[{"name":"config","status":"fail","detail":"two\nlines","fix":"do x","code":2}]}}`,
			2, "fail  config        two lines\n      fix: do x\n"},
		{"no report", `{"endpoint":"x"}`, 1, "ca-helper-aws gave no doctor report"},
		{"not an answer", `garbage`, 1, "gave no answer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sys := newSystem(t)
			bin := filepath.Join(t.TempDir(), "ca-helper-aws")
			if err := os.WriteFile(bin, []byte("#!/bin/sh\ncat >/dev/null\nprintf '%s\\n' '"+tt.answer+"'\n"), 0o755); err != nil {
				t.Fatal(err)
			}
			code, out, errOut := runDoctor(sys, awsproc.Client{Path: bin}, "--domain", "my-domain")
			if code != tt.wantCode || !strings.Contains(out+errOut, tt.want) {
				t.Errorf("exit %d, want %d with %q\nstdout: %s\nstderr: %s", code, tt.wantCode, tt.want, out, errOut)
			}
		})
	}
}
