package test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

func TestBadInputIsUsageError(t *testing.T) {
	cases := []struct {
		name    string
		env     map[string]string
		config  string
		args    []string
		errPart string
	}{
		{name: "unknown flag", args: []string{"get", "--domian", "x"}, errPart: "unknown flag --domian"},
		{name: "bad domain flag", args: []string{"get", "--domain", "Bad_Domain"}, errPart: "from flag --domain"},
		{name: "bad owner env", env: map[string]string{"CODEARTIFACT_DOMAIN_OWNER": "1234"}, args: []string{"get"}, errPart: "env CODEARTIFACT_DOMAIN_OWNER"},
		{name: "bad region flag", args: []string{"get", "--region", "us-east1"}, errPart: `invalid region "us-east1" from flag --region`},
		{name: "bad duration", args: []string{"get", "--duration", "13h"}, errPart: "flag --duration"},
		{name: "bad min-ttl env", env: map[string]string{"CA_HELPER_MIN_TTL": "soon"}, args: []string{"get"}, errPart: "env CA_HELPER_MIN_TTL"},
		{name: "bad cache", args: []string{"get", "--cache", "disk"}, errPart: "invalid cache"},
		{name: "bad format", args: []string{"get", "--format", "xml"}, errPart: "invalid format"},
		{name: "bad url", args: []string{"get", "--url", "https://example.com/maven/x/"}, errPart: "not a CodeArtifact host"},
		{name: "unknown target", args: []string{"get", "--target", "nope"}, errPart: `target "nope"`},
		{name: "no domain", env: map[string]string{"CODEARTIFACT_DOMAIN": ""}, args: []string{"get"}, errPart: "no CodeArtifact domain"},
		{name: "config syntax", config: "default = \"w\"\n[targets.w\ndomain = \"x\"\n", args: []string{"get", "--target", "w"}, errPart: "config.toml:3:"},
		{name: "config unknown key", config: "[targets.w]\ndomain = \"ok-domain\"\ndomian = \"x\"\n", args: []string{"get", "--target", "w"}, errPart: "config.toml:3: unknown key"},
		{name: "config bad value", config: "[targets.w]\ndomain = \"ok-domain\"\nregion = \"mars\"\n", args: []string{"get", "--target", "w"}, errPart: "config.toml:3 (targets.w.region)"},
		{name: "unknown command", args: []string{"gett"}, errPart: `unknown command "gett"`},
		{name: "exec without command", args: []string{"exec"}, errPart: "no command"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, fake.Options{})
			for k, v := range tc.env {
				h.env[k] = v
			}
			if tc.config != "" {
				path := filepath.Join(h.home, ".config", "ca-helper", "config.toml")
				if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(tc.config), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			r := h.run("ca-helper", tc.args...)
			wantFailure(t, r, 2, tc.errPart)
			if strings.Count(r.stderr, "\n") != 2 {
				t.Errorf("want exactly an error line and a hint line, got:\n%s", r.stderr)
			}
			if n := h.fake.TokenCalls(); n != 0 {
				t.Errorf("bad input reached the service (%d calls)", n)
			}
		})
	}
}

func TestCredentialAndPermissionFailures(t *testing.T) {
	cases := []struct {
		name    string
		fault   fake.FaultKind
		env     map[string]string
		code    int
		errPart string
		hint    string
	}{
		{name: "no credentials", env: map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""}, code: 3, errPart: "no credentials", hint: "configure AWS credentials"},
		{name: "access denied", fault: fake.AccessDenied, code: 3, errPart: "access denied", hint: "sts:GetServiceBearerToken"},
		{name: "expired credentials", fault: fake.ExpiredToken, code: 3, errPart: "credentials expired", hint: "refresh your AWS credentials"},
		{name: "unknown access key", env: map[string]string{"AWS_ACCESS_KEY_ID": "AKIDUNKNOWN"}, code: 3, errPart: "credentials not recognised", hint: "AWS_ACCESS_KEY_ID"},
		{name: "wrong secret", env: map[string]string{"AWS_SECRET_ACCESS_KEY": "wrong"}, code: 3, errPart: "bad signature", hint: "clock"},
		{name: "unknown domain", env: map[string]string{"CODEARTIFACT_DOMAIN": "missing"}, code: 1, errPart: "not found", hint: "--domain-owner"},
		{name: "connection refused", env: map[string]string{"AWS_ENDPOINT_URL_CODEARTIFACT": "http://127.0.0.1:1"}, code: 1, errPart: "connection refused", hint: "cannot reach CodeArtifact"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, fake.Options{})
			h.fake.SetFault(fake.Fault{Kind: tc.fault})
			for k, v := range tc.env {
				h.env[k] = v
			}
			r := h.run("ca-helper", "get")
			wantFailure(t, r, tc.code, tc.errPart)
			if !strings.Contains(r.stderr, tc.hint) {
				t.Errorf("hint does not mention %q:\n%s", tc.hint, r.stderr)
			}
			if files, _ := filepath.Glob(filepath.Join(h.cache, "*.json")); len(files) != 0 {
				t.Errorf("a failure left cache entries: %v", files)
			}
		})
	}
}
