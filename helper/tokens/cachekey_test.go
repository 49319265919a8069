package tokens

import (
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/helper/awsproc"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/failure/failuretest"
	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/keyring"
)

func TestCheckFetched(t *testing.T) {
	good := "eyJ2ZXIiOjEsImlzdSI6MTcwMDAwMDAwMH0.c2lnbmF0dXJl-_~+/="
	tests := []struct {
		name     string
		tok      string
		expires  time.Duration // after t0
		zeroExp  bool
		duration time.Duration
		wantErr  string // "" = accepted
	}{
		{name: "ok", tok: good, expires: 12 * time.Hour, duration: 12 * time.Hour},
		{name: "max length", tok: strings.Repeat("a", awsproc.MaxTokenLen), expires: time.Hour, duration: time.Hour},
		{name: "an hour of slack", tok: good, expires: 13 * time.Hour, duration: 12 * time.Hour},
		{name: "duration 0 up to 36h", tok: good, expires: 37 * time.Hour, duration: 0},
		{name: "empty", tok: "", expires: time.Hour, duration: time.Hour, wantErr: "no authorization token"},
		{name: "oversized", tok: strings.Repeat("a", awsproc.MaxTokenLen+1), expires: time.Hour, duration: time.Hour, wantErr: "over the"},
		{name: "newline at end", tok: good + "\n", expires: time.Hour, duration: time.Hour, wantErr: "characters"},
		{name: "newline inside", tok: "abc\ndef", expires: time.Hour, duration: time.Hour, wantErr: "characters"},
		{name: "carriage return", tok: "abc\r", expires: time.Hour, duration: time.Hour, wantErr: "characters"},
		{name: "control char", tok: "abc\x1b[2Jdef", expires: time.Hour, duration: time.Hour, wantErr: "characters"},
		{name: "nul", tok: "abc\x00", expires: time.Hour, duration: time.Hour, wantErr: "characters"},
		{name: "space", tok: "abc def", expires: time.Hour, duration: time.Hour, wantErr: "characters"},
		{name: "quote", tok: "abc'def", expires: time.Hour, duration: time.Hour, wantErr: "characters"},
		{name: "non-ascii", tok: "tökén", expires: time.Hour, duration: time.Hour, wantErr: "characters"},
		{name: "expires now", tok: good, expires: 0, duration: time.Hour, wantErr: "expired"},
		{name: "expired", tok: good, expires: -time.Minute, duration: time.Hour, wantErr: "expired"},
		{name: "no expiration", tok: good, zeroExp: true, duration: time.Hour, wantErr: "expired"},
		{name: "later than requested", tok: good, expires: 13*time.Hour + time.Second, duration: 12 * time.Hour, wantErr: "later than requested"},
		{name: "absurdly far", tok: good, expires: 100 * 365 * 24 * time.Hour, duration: 12 * time.Hour, wantErr: "later than requested"},
		{name: "duration 0 beyond 37h", tok: good, expires: 37*time.Hour + time.Second, duration: 0, wantErr: "later than requested"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := keyring.Entry{Token: keyring.Token(tt.tok), Expiration: t0.Add(tt.expires), Fetched: t0}
			if tt.zeroExp {
				e.Expiration = time.Time{}
			}
			err := checkFetched(e, tt.duration, t0)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("checkFetched: %v", err)
				}
				return
			}
			failuretest.WantCode(t, err, failure.Runtime, tt.wantErr)
			if len(tt.tok) > 2 && strings.Contains(err.Error(), tt.tok) {
				t.Errorf("error quotes the token: %q", err)
			}
		})
	}
}

func TestCacheKey(t *testing.T) {
	base := target.Target{Domain: "my-domain", Owner: "111122223333", Region: "eu-west-1", Profile: "dev"}
	baseKey := CacheKey(base, envMap(nil))
	if err := baseKey.Validate(); err != nil {
		t.Fatalf("base key: %v", err)
	}
	if want := "CodeArtifact token my-domain-111122223333 (eu-west-1)"; baseKey.Label != want {
		t.Errorf("label = %q, want %q", baseKey.Label, want)
	}
	with := func(f func(*target.Target)) target.Target { tt := base; f(&tt); return tt }
	tests := []struct {
		name   string
		target target.Target
		env    map[string]string
		differ bool
	}{
		{"same inputs", base, nil, false},
		{"repository does not matter", with(func(t *target.Target) { t.Repository = "releases"; t.Format = "maven"; t.Name = "work" }), nil, false},
		{"sources do not matter", with(func(t *target.Target) { t.Sources = map[string]string{"domain": "flag --domain"} }), nil, false},
		{"secret key does not matter", base, map[string]string{"AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}, false},
		{"session token does not matter", base, map[string]string{"AWS_SESSION_TOKEN": "FwoGZXIvYXdzEXAMPLE"}, false},
		{"unrelated env does not matter", base, map[string]string{"HOME": "/elsewhere", "AWS_REGION": "us-east-1"}, false},
		{"domain", with(func(t *target.Target) { t.Domain = "other-domain" }), nil, true},
		{"owner", with(func(t *target.Target) { t.Owner = "444455556666" }), nil, true},
		{"no owner", with(func(t *target.Target) { t.Owner = "" }), nil, true},
		{"region", with(func(t *target.Target) { t.Region = "us-east-1" }), nil, true},
		{"no region", with(func(t *target.Target) { t.Region = "" }), nil, true},
		{"profile", with(func(t *target.Target) { t.Profile = "prod" }), nil, true},
		{"no profile", with(func(t *target.Target) { t.Profile = "" }), nil, true},
		{"profile case", with(func(t *target.Target) { t.Profile = "Dev" }), nil, true},
		{"access key id", base, map[string]string{"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE"}, true},
		{"endpoint override", base, map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:9999"}, true},
		{"codeartifact endpoint override", base, map[string]string{"AWS_ENDPOINT_URL_CODEARTIFACT": "http://127.0.0.1:9999"}, true},
		{"role arn", base, map[string]string{"AWS_ROLE_ARN": "arn:aws:iam::111122223333:role/ci"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := CacheKey(tt.target, envMap(tt.env))
			if err := k.Validate(); err != nil {
				t.Errorf("key is not valid for the stores: %v", err)
			}
			if (k.ID != baseKey.ID) != tt.differ {
				t.Errorf("key %q vs base %q: differ = %v, want %v", k.ID, baseKey.ID, k.ID != baseKey.ID, tt.differ)
			}
			for name, v := range tt.env {
				if strings.Contains(k.ID, strings.ToLower(v)) || strings.Contains(k.Label, v) {
					t.Errorf("key %+v contains the value of %s", k, name)
				}
			}
		})
	}
}

// Every target that passes validation must give a key the stores accept,
// including the longest domain and profile names AWS allows.
func TestCacheKeyProfilesThatLookAlike(t *testing.T) {
	a := CacheKey(target.Target{Domain: "my-domain", Profile: "team@dev"}, envMap(nil))
	b := CacheKey(target.Target{Domain: "my-domain", Profile: "team_dev"}, envMap(nil))
	if a.ID == b.ID {
		t.Errorf("profiles team@dev and team_dev share the key %q", a.ID)
	}
}

func TestCacheKeyAlwaysValid(t *testing.T) {
	longDomain := "d" + strings.Repeat("a", 49)
	targets := []target.Target{
		{Domain: "ab"},
		{Domain: "my-domain", Profile: "Team/Dev@Admin+x=y,z:w"},
		{Domain: "my-domain", Owner: "111122223333", Region: "ap-southeast-2", Profile: "AWSAdministratorAccess-111122223333"},
		{Domain: longDomain, Owner: "111122223333", Region: "ap-southeast-2", Profile: "AWSAdministratorAccess-111122223333"},
		{Domain: longDomain, Owner: "111122223333", Region: "us-gov-west-1", Profile: strings.Repeat("p", 128)},
	}
	for _, tgt := range targets {
		tgt.Sources = map[string]string{}
		if err := tgt.Validate(); err != nil {
			t.Fatalf("test target %+v is invalid: %v", tgt, err)
		}
		k := CacheKey(tgt, envMap(nil))
		if err := k.Validate(); err != nil {
			t.Errorf("CacheKey(%s, profile %q) = %q (%d chars): %v", tgt, tgt.Profile, k.ID, len(k.ID), err)
		}
	}
}
