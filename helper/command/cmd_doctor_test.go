package command

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/helper/awsproc"
	"github.com/ca-helper/ca-helper/helper/doctor"
	"github.com/ca-helper/ca-helper/helper/tokens"
	"github.com/ca-helper/ca-helper/keyring"
)

// sdkFake is an in-process AWS with the doctor view, as awsca.Client is in
// ca-helper-aws; every doctor question finds no credentials.
type sdkFake struct{ got awsproc.Request }

func (f *sdkFake) Token(context.Context, awsproc.Request) (awsproc.Token, error) {
	return awsproc.Token{}, nil
}

func (f *sdkFake) Endpoint(context.Context, awsproc.Request, string, string) (string, error) {
	return "", nil
}

func (f *sdkFake) DoctorAWS(r awsproc.Request) doctor.AWS {
	f.got = r
	return noCredentials{}
}

func (f *sdkFake) DoctorNetwork(time.Duration) (doctor.Network, error) { return unreachable{}, nil }

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

func runDoctor(t *testing.T, aws tokens.AWS, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := RunWith(context.Background(), aws, append([]string{"ca-helper", "doctor"}, args...), strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestDoctorCommand(t *testing.T) {
	isolate(t)
	cfg := os.Getenv("CA_HELPER_CONFIG")
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
			code, out, errOut := runDoctor(t, &sdkFake{}, tt.args...)
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
	isolate(t)
	f := &sdkFake{}
	runDoctor(t, f, "--domain", "my-domain", "--domain-owner", "111122223333", "--region", "eu-west-1", "--profile", "dev", "--timeout", "7s")
	want := awsproc.Request{Domain: "my-domain", Owner: "111122223333", Region: "eu-west-1", Profile: "dev", Timeout: 7 * time.Second}
	if f.got != want {
		t.Errorf("request %+v, want %+v", f.got, want)
	}
}

func TestDoctorJSONFormat(t *testing.T) {
	isolate(t)
	code, out, _ := runDoctor(t, &sdkFake{}, "--format", "json", "--domain", "my-domain", "--region", "eu-west-1")
	if code != 3 || !strings.HasPrefix(out, `{"ok":false,"checks":[{"name":"config","status":"ok"`) {
		t.Errorf("exit %d: %s", code, out)
	}
	if code, _, errOut := runDoctor(t, &sdkFake{}, "--format", "yaml"); code != 2 || !strings.Contains(errOut, `invalid format "yaml"`) {
		t.Errorf("bad format: exit %d, %q", code, errOut)
	}
}

// Without the SDK in the process, doctor runs ca-helper-aws; a child that
// again lacks it must not start another.
func TestDoctorWithoutSDKDoesNotLoop(t *testing.T) {
	isolate(t)
	t.Setenv(doctorChildEnv, "1")
	code, out, errOut := runDoctor(t, awsproc.Client{}, "--domain", "my-domain")
	if code != 1 || out != "" || !strings.Contains(errOut, "doctor needs the AWS SDK") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
