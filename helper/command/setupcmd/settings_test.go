package setupcmd

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/helper/awsproc"
	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
	"github.com/ca-helper/ca-helper/helper/maven"
	"github.com/ca-helper/ca-helper/helper/target"
)

const settingsURL = "https://my-domain-111122223333.d.codeartifact.eu-west-1.amazonaws.com/maven/releases/"

func TestMarkerArgs(t *testing.T) {
	cfg := func(field string) string { return "config " + field }
	tests := []struct {
		name         string
		t            target.Target
		customConfig bool
		want         []string
	}{
		{"flags only", target.Target{Domain: "d", Owner: "111122223333", Region: "eu-west-1",
			Sources: map[string]string{"domain": "flag --domain", "domain-owner": "flag --domain-owner", "region": "flag --region"}},
			false, []string{"--domain", "d", "--domain-owner", "111122223333", "--region", "eu-west-1"}},
		{"config target alone", target.Target{Name: "work", Domain: "d", Owner: "111122223333", Region: "eu-west-1", Profile: "dev",
			Sources: map[string]string{"domain": cfg("domain"), "domain-owner": cfg("domain_owner"), "region": cfg("region"), "profile": cfg("profile")}},
			false, []string{"--target", "work"}},
		{"config target, region from env", target.Target{Name: "work", Domain: "d", Region: "us-east-1",
			Sources: map[string]string{"domain": cfg("domain"), "region": "env AWS_REGION"}},
			false, []string{"--target", "work", "--region", "us-east-1"}},
		{"custom config file: fields written out", target.Target{Name: "work", Domain: "d", Region: "us-east-1",
			Sources: map[string]string{"domain": cfg("domain"), "region": cfg("region")}},
			true, []string{"--domain", "d", "--region", "us-east-1"}},
		{"region left to the AWS config", target.Target{Domain: "d", Sources: map[string]string{"domain": "env CODEARTIFACT_DOMAIN"}},
			false, []string{"--domain", "d"}},
	}
	for _, tt := range tests {
		if got := markerArgs(tt.t, tt.customConfig); !slices.Equal(got, tt.want) {
			t.Errorf("%s: markerArgs = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// fakeEndpoints answers GetRepositoryEndpoint.
type fakeEndpoints struct {
	url         string
	err         error
	req         awsproc.Request
	repo, fmt   string
	hasDeadline bool
}

func (f *fakeEndpoints) Endpoint(ctx context.Context, r awsproc.Request, repo, format string) (string, error) {
	f.req, f.repo, f.fmt = r, repo, format
	_, f.hasDeadline = ctx.Deadline()
	return f.url, f.err
}

func TestSettingsLooksUpEndpoint(t *testing.T) {
	tgt := target.Target{Domain: "my-domain", Owner: "111122223333", Region: "eu-west-1", Profile: "dev", Repository: "releases"}
	for _, tt := range []struct {
		name string
		api  *fakeEndpoints
		want error
	}{
		{"found", &fakeEndpoints{url: "https://vpce.example/maven/releases/"}, nil},
		{"lookup fails", &fakeEndpoints{err: errors.New("access denied")}, errors.New("access denied")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "settings.xml")
			var out, errOut bytes.Buffer
			e := &cmdenv.Env{System: cmdenv.System{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }, Now: time.Now}}
			in := settingsInput{target: tgt, opts: target.Options{Timeout: time.Minute}, path: path,
				server: maven.Server{ID: "releases"}}
			err := settings(e, context.Background(), in, tt.api)
			if (err == nil) != (tt.want == nil) || (err != nil && err.Error() != tt.want.Error()) {
				t.Fatalf("settings = %v, want %v", err, tt.want)
			}
			want := awsproc.Request{Domain: "my-domain", Owner: "111122223333", Region: "eu-west-1", Profile: "dev", Timeout: time.Minute}
			if !reflect.DeepEqual(tt.api.req, want) || tt.api.repo != "releases" || tt.api.fmt != "maven" || !tt.api.hasDeadline {
				t.Errorf("Endpoint(%+v, %q, %q), deadline %v", tt.api.req, tt.api.repo, tt.api.fmt, tt.api.hasDeadline)
			}
			if tt.want != nil {
				if _, err := os.Stat(path); err == nil {
					t.Errorf("%s was written although the lookup failed", path)
				}
				return
			}
			data, _ := os.ReadFile(path)
			if !bytes.Contains(data, []byte("<url>https://vpce.example/maven/releases/</url>")) {
				t.Errorf("settings.xml lacks the looked-up URL:\n%s", data)
			}
		})
	}
}

func TestGivenURL(t *testing.T) {
	tgt := target.Target{Domain: "my-domain", Owner: "111122223333", Region: "eu-west-1", Repository: "releases"}
	other := func(f func(*target.Target)) target.Target { t := tgt; f(&t); return t }
	tests := []struct {
		name string
		raw  string
		t    target.Target
		want string
	}{
		{"matches", " " + settingsURL, tgt, settingsURL},
		{"none given", "", tgt, ""},
		{"npm url", strings.Replace(settingsURL, "/maven/", "/npm/", 1), tgt, ""},
		{"host only", "https://my-domain-111122223333.d.codeartifact.eu-west-1.amazonaws.com/", tgt, ""},
		{"--repository overrides", settingsURL, other(func(t *target.Target) { t.Repository = "snapshots" }), ""},
		{"--domain overrides", settingsURL, other(func(t *target.Target) { t.Domain = "other" }), ""},
		{"--region overrides", settingsURL, other(func(t *target.Target) { t.Region = "us-east-1" }), ""},
	}
	for _, tt := range tests {
		if got := givenURL(tt.raw, tt.t, "maven"); got != tt.want {
			t.Errorf("%s: givenURL = %q, want %q", tt.name, got, tt.want)
		}
	}
}
