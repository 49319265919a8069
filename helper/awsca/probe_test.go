package awsca

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/helper/awsca/awscatest"
	"github.com/ca-helper/ca-helper/helper/failure"
)

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestProbeEnvCredentialsAndDefaultEndpoint(t *testing.T) {
	awscatest.Env(t, map[string]string{"AWS_ACCESS_KEY_ID": "AKIDPROBETEST", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "tok"})
	p, err := NewProbe(testCtx(t), Request{Domain: "d1", Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := p.Credentials(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if c.Source != "env" || c.Provider != "EnvConfigCredentials" || c.AccessKeyID != "AKIDPROBETEST" || !c.Session {
		t.Errorf("credentials %+v", c)
	}
	if p.Region() != "eu-west-1" {
		t.Errorf("region %q", p.Region())
	}
	ep, err := p.ServiceEndpoint(testCtx(t))
	if err != nil || ep.URL != "https://codeartifact.eu-west-1.amazonaws.com" || ep.Source != "default" {
		t.Errorf("endpoint %+v, %v", ep, err)
	}
}

func TestProbeEndpointOverrides(t *testing.T) {
	tests := []struct {
		name   string
		env    map[string]string
		config string
		url    string
		source string
	}{
		{"service env", map[string]string{"AWS_ENDPOINT_URL_CODEARTIFACT": "http://127.0.0.1:7", "AWS_ENDPOINT_URL": "http://127.0.0.1:8"},
			"", "http://127.0.0.1:7", "env AWS_ENDPOINT_URL_CODEARTIFACT"},
		{"global env", map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:8"}, "", "http://127.0.0.1:8", "env AWS_ENDPOINT_URL"},
		{"profile", nil, "[default]\nendpoint_url = https://ca.example.com\n", "https://ca.example.com", "AWS config"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := awscatest.Env(t, tt.env)
			if tt.config != "" {
				writeFile(t, filepath.Join(dir, "config"), tt.config)
			}
			p, err := NewProbe(testCtx(t), Request{Domain: "d1", Region: "us-east-1"})
			if err != nil {
				t.Fatal(err)
			}
			ep, err := p.ServiceEndpoint(testCtx(t))
			if err != nil || ep.URL != tt.url || ep.Source != tt.source {
				t.Errorf("endpoint %+v, %v; want %s from %s", ep, err, tt.url, tt.source)
			}
		})
	}
}

func TestProbeProfileCredentials(t *testing.T) {
	dir := awscatest.Env(t, nil)
	creds := filepath.Join(dir, "credentials")
	writeFile(t, creds, "[dev]\naws_access_key_id = AKIAPROFILE12345\naws_secret_access_key = s\n")
	writeFile(t, filepath.Join(dir, "config"), "[profile dev]\nregion = ap-southeast-2\n")
	p, err := NewProbe(testCtx(t), Request{Domain: "d1", Profile: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := p.Credentials(testCtx(t))
	if err != nil || c.Source != "profile" || c.File != creds || c.AccessKeyID != "AKIAPROFILE12345" {
		t.Errorf("credentials %+v, %v", c, err)
	}
	if p.Region() != "ap-southeast-2" {
		t.Errorf("region from the profile: %q", p.Region())
	}
}

func TestProbeMissingProfile(t *testing.T) {
	awscatest.Env(t, nil)
	_, err := NewProbe(testCtx(t), Request{Domain: "d1", Profile: "nope"})
	var e *Error
	if !errors.As(err, &e) || e.Code != failure.Auth || !strings.Contains(e.Hint(), "aws configure --profile nope") ||
		!strings.Contains(err.Error(), `profile "nope" is not in the AWS config`) {
		t.Errorf("missing profile: %v (hint %q)", err, e.Hint())
	}
}

func TestProbeSSOSessionExpired(t *testing.T) {
	dir := awscatest.Env(t, nil)
	const start = "https://example.awsapps.com/start"
	writeFile(t, filepath.Join(dir, "config"), "[profile sso-dev]\nsso_start_url = "+start+
		"\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = Dev\nregion = eu-west-1\n")
	sum := sha1.Sum([]byte(start))
	writeFile(t, filepath.Join(dir, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json"),
		`{"accessToken":"x","expiresAt":"2020-01-01T00:00:00Z","region":"us-east-1","startUrl":"`+start+`"}`)
	p, err := NewProbe(testCtx(t), Request{Domain: "d1", Profile: "sso-dev"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Credentials(testCtx(t))
	var e *Error
	if !errors.As(err, &e) || e.Reason != "SSO session expired" || !strings.Contains(e.Hint(), "aws sso login --profile sso-dev") {
		t.Errorf("expired SSO session: %v", err)
	}
}

func TestProbeWithoutRegion(t *testing.T) {
	awscatest.Env(t, map[string]string{"AWS_ACCESS_KEY_ID": "AKIDPROBETEST", "AWS_SECRET_ACCESS_KEY": "s"})
	p, err := NewProbe(testCtx(t), Request{Domain: "d1"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Region() != "" {
		t.Errorf("region %q", p.Region())
	}
	_, err = p.ServiceEndpoint(testCtx(t))
	var e *Error
	if !errors.As(err, &e) || e.Reason != "no region" {
		t.Errorf("endpoint without region: %v", err)
	}
}

func TestSourceName(t *testing.T) {
	tests := []struct{ provider, name, file string }{
		{"EnvConfigCredentials", "env", ""},
		{"SharedConfigCredentials: /h/.aws/credentials", "profile", "/h/.aws/credentials"},
		{"AssumeRoleProvider", "assumed role", ""},
		{"SSOProvider", "SSO", ""},
		{"WebIdentityCredentials", "web identity", ""},
		{"CredentialsEndpointProvider", "container", ""},
		{"EC2RoleProvider", "EC2 instance profile", ""},
		{"ProcessProvider", "credential process", ""},
		{"SomethingNew", "SomethingNew", ""},
	}
	for _, tt := range tests {
		if name, file := sourceName(tt.provider); name != tt.name || file != tt.file {
			t.Errorf("sourceName(%q) = %q, %q", tt.provider, name, file)
		}
	}
}
