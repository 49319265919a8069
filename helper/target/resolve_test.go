package target

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/failure/failuretest"
)

// testConfig is the config every resolve test reads; tests name lines by number.
const testConfig = `default = "work"

[targets.work]
domain = "work-domain"
domain_owner = "111122223333"
region = "eu-west-1"
profile = "dev"
repository = "releases"
duration = "2h"
min_ttl = "30m"
cache = "file"

[targets.other]
domain = "other-domain"
domain_owner = "444455556666"

[targets.bare]
domain = "bare-domain"

[targets.broken]
domain = "Broken_Domain"
region = "mars"

[targets.badowner]
domain = "fine-domain"
domain_owner = "1234"
`

const workURL = "https://url-domain-777788889999.d.codeartifact.us-west-2.amazonaws.com/maven/snapshots/"

func newInputs(t *testing.T, flags, env map[string]string) *Inputs {
	t.Helper()
	if flags == nil {
		flags = map[string]string{}
	}
	return &Inputs{Flags: flags, Getenv: envMap(env), ConfigPath: writeFile(t, "config.toml", testConfig)}
}

func TestResolveTargetPrecedence(t *testing.T) {
	tests := []struct {
		name       string
		flags, env map[string]string
		want       Target   // Sources are checked through src
		src        []string // "field=source" pairs; CONFIG stands for the config path
	}{
		{
			name:  "flags only",
			flags: map[string]string{"domain": "flag-domain", "domain-owner": "123456789012", "region": "eu-central-1", "profile": "p1", "repository": "repo1"},
			env:   map[string]string{"AWS_REGION": "us-east-1", "AWS_PROFILE": "envprof", "CODEARTIFACT_DOMAIN": "env-domain"},
			want:  Target{Domain: "flag-domain", Owner: "123456789012", Region: "eu-central-1", Profile: "p1", Repository: "repo1"},
			src:   []string{"domain=flag --domain", "region=flag --region", "profile=flag --profile"},
		},
		{
			name:  "url gives domain owner region repository",
			flags: map[string]string{"url": workURL},
			want:  Target{Domain: "url-domain", Owner: "777788889999", Region: "us-west-2", Repository: "snapshots", Format: "maven"},
			src:   []string{"domain=flag --url", "region=flag --url", "repository=flag --url"},
		},
		{
			name:  "flags beat url",
			flags: map[string]string{"url": workURL, "domain": "flag-domain", "region": "eu-north-1"},
			want:  Target{Domain: "flag-domain", Owner: "777788889999", Region: "eu-north-1", Repository: "snapshots", Format: "maven"},
			src:   []string{"domain=flag --domain", "domain-owner=flag --url"},
		},
		{
			name: "env url",
			env:  map[string]string{"CODEARTIFACT_URL": workURL},
			want: Target{Domain: "url-domain", Owner: "777788889999", Region: "us-west-2", Repository: "snapshots", Format: "maven"},
			src:  []string{"domain=env CODEARTIFACT_URL"},
		},
		{
			name:  "flag url beats env url",
			flags: map[string]string{"url": workURL},
			env:   map[string]string{"CODEARTIFACT_URL": "https://env-domain-111111111111.d.codeartifact.eu-west-1.amazonaws.com/"},
			want:  Target{Domain: "url-domain", Owner: "777788889999", Region: "us-west-2", Repository: "snapshots", Format: "maven"},
		},
		{
			name:  "url beats target, target fills the rest",
			flags: map[string]string{"url": workURL, "target": "work"},
			want:  Target{Name: "work", Domain: "url-domain", Owner: "777788889999", Region: "us-west-2", Profile: "dev", Repository: "snapshots", Format: "maven"},
			src:   []string{"profile=config CONFIG:7 (targets.work.profile)"},
		},
		{
			name:  "target region and profile are not overridden by AWS env",
			flags: map[string]string{"target": "work"},
			env:   map[string]string{"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-2", "AWS_PROFILE": "prod"},
			want:  Target{Name: "work", Domain: "work-domain", Owner: "111122223333", Region: "eu-west-1", Profile: "dev", Repository: "releases"},
			src:   []string{"domain=config CONFIG:4 (targets.work.domain)", "domain-owner=config CONFIG:5 (targets.work.domain_owner)", "region=config CONFIG:6 (targets.work.region)"},
		},
		{
			name:  "target without region takes AWS_REGION",
			flags: map[string]string{"target": "other"},
			env:   map[string]string{"AWS_REGION": "us-east-1", "AWS_PROFILE": "prod"},
			want:  Target{Name: "other", Domain: "other-domain", Owner: "444455556666", Region: "us-east-1", Profile: "prod"},
			src:   []string{"region=env AWS_REGION", "profile=env AWS_PROFILE"},
		},
		{
			name: "CA_HELPER_TARGET",
			env:  map[string]string{"CA_HELPER_TARGET": "other"},
			want: Target{Name: "other", Domain: "other-domain", Owner: "444455556666"},
		},
		{
			name:  "flag target beats CA_HELPER_TARGET",
			flags: map[string]string{"target": "other"},
			env:   map[string]string{"CA_HELPER_TARGET": "work"},
			want:  Target{Name: "other", Domain: "other-domain", Owner: "444455556666"},
		},
		{
			name: "target beats CODEARTIFACT env, env fills the gaps",
			env:  map[string]string{"CA_HELPER_TARGET": "bare", "CODEARTIFACT_DOMAIN": "env-domain", "CODEARTIFACT_DOMAIN_OWNER": "999988887777", "CODEARTIFACT_REPOSITORY": "env-repo"},
			want: Target{Name: "bare", Domain: "bare-domain", Owner: "999988887777", Repository: "env-repo"},
			src:  []string{"domain=config CONFIG:18 (targets.bare.domain)", "domain-owner=env CODEARTIFACT_DOMAIN_OWNER"},
		},
		{
			name: "CODEARTIFACT env keeps the config default out",
			env:  map[string]string{"CODEARTIFACT_DOMAIN": "env-domain", "CODEARTIFACT_DOMAIN_OWNER": "999988887777", "CODEARTIFACT_REPOSITORY": "env-repo", "AWS_DEFAULT_REGION": "ap-south-1"},
			want: Target{Domain: "env-domain", Owner: "999988887777", Region: "ap-south-1", Repository: "env-repo"},
			src:  []string{"domain=env CODEARTIFACT_DOMAIN", "region=env AWS_DEFAULT_REGION"},
		},
		{
			name: "config default when no domain is given",
			env:  map[string]string{"AWS_REGION": "us-east-1", "AWS_PROFILE": "prod"},
			want: Target{Name: "work", Domain: "work-domain", Owner: "111122223333", Region: "eu-west-1", Profile: "dev", Repository: "releases"},
			src:  []string{"domain=config CONFIG:4 (targets.work.domain)"},
		},
		{
			name: "config default under an owner from env",
			env:  map[string]string{"CODEARTIFACT_DOMAIN_OWNER": "999988887777"},
			want: Target{Name: "work", Domain: "work-domain", Owner: "999988887777", Region: "eu-west-1", Profile: "dev", Repository: "releases"},
		},
		{
			name:  "AWS_REGION beats AWS_DEFAULT_REGION",
			flags: map[string]string{"domain": "flag-domain"},
			env:   map[string]string{"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-2"},
			want:  Target{Domain: "flag-domain", Region: "us-east-1"},
			src:   []string{"region=env AWS_REGION"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := newInputs(t, tt.flags, tt.env)
			got, err := Resolve(in)
			if err != nil {
				t.Fatalf("resolveTarget: %v", err)
			}
			sources := got.Sources
			got.Sources = nil
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("resolveTarget =\n %+v, want\n %+v", got, tt.want)
			}
			for _, s := range tt.src {
				field, want, _ := strings.Cut(strings.ReplaceAll(s, "CONFIG", in.ConfigPath), "=")
				if sources[field] != want {
					t.Errorf("source of %s = %q, want %q", field, sources[field], want)
				}
			}
		})
	}
}

func TestResolveTargetErrorsNameTheSource(t *testing.T) {
	good := map[string]string{"domain": "my-domain", "domain-owner": "111122223333", "region": "eu-west-1"}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range good {
			m[a] = b
		}
		m[k] = v
		return m
	}
	tests := []struct {
		name       string
		flags, env map[string]string
		want       []string // CONFIG stands for the config path
	}{
		{"bad domain flag", with("domain", "Bad_Domain"), nil, []string{`invalid domain "Bad_Domain" from flag --domain`}},
		{"one-letter domain", with("domain", "a"), nil, []string{"flag --domain"}},
		{"empty domain flag", with("domain", ""), nil, []string{"flag --domain is empty"}},
		{"empty region flag", with("region", ""), nil, []string{"flag --region is empty"}},
		{"bad owner flag", with("domain-owner", "11112222333"), nil, []string{"invalid domain-owner", "flag --domain-owner"}},
		{"bad region flag", with("region", "eu-west"), nil, []string{"invalid region", "flag --region"}},
		{"bad profile flag", with("profile", "my profile"), nil, []string{"invalid profile", "flag --profile"}},
		{"bad repository flag", with("repository", "r"), nil, []string{"invalid repository", "flag --repository"}},
		{"bad owner env", map[string]string{"domain": "my-domain"}, map[string]string{"CODEARTIFACT_DOMAIN_OWNER": "12345"},
			[]string{`invalid domain-owner "12345" from env CODEARTIFACT_DOMAIN_OWNER`}},
		{"bad domain env", nil, map[string]string{"CODEARTIFACT_DOMAIN": "-x-"}, []string{"env CODEARTIFACT_DOMAIN"}},
		{"bad repository env", map[string]string{"domain": "my-domain"}, map[string]string{"CODEARTIFACT_REPOSITORY": "a b"}, []string{"env CODEARTIFACT_REPOSITORY"}},
		{"bad AWS_REGION", map[string]string{"domain": "my-domain"}, map[string]string{"AWS_REGION": "moon"}, []string{`invalid region "moon" from env AWS_REGION`}},
		{"bad AWS_DEFAULT_REGION", map[string]string{"domain": "my-domain"}, map[string]string{"AWS_DEFAULT_REGION": "EU-WEST-1"}, []string{"env AWS_DEFAULT_REGION"}},
		{"bad AWS_PROFILE", map[string]string{"domain": "my-domain"}, map[string]string{"AWS_PROFILE": "a\nb"}, []string{"env AWS_PROFILE", `a\nb`}},
		{"bad url flag", map[string]string{"url": "http://x"}, nil, []string{"invalid flag --url"}},
		{"bad url env", nil, map[string]string{"CODEARTIFACT_URL": "https://example.com/maven/r1/"}, []string{"invalid env CODEARTIFACT_URL"}},
		{"bad domain in config", map[string]string{"target": "broken"}, nil, []string{`invalid domain "Broken_Domain" from config CONFIG:21 (targets.broken.domain)`}},
		{"bad owner in config", map[string]string{"target": "badowner"}, nil, []string{"config CONFIG:26 (targets.badowner.domain_owner)"}},
		{"unknown target flag", map[string]string{"target": "nope"}, nil, []string{`flag --target names target "nope"`, "CONFIG"}},
		{"unknown target env", nil, map[string]string{"CA_HELPER_TARGET": "nope"}, []string{`CA_HELPER_TARGET names target "nope"`}},
		{"long value is shortened", with("domain", strings.Repeat("x", 500)), nil, []string{"flag --domain", "…"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := newInputs(t, tt.flags, tt.env)
			_, err := Resolve(in)
			want := make([]string, len(tt.want))
			for i, w := range tt.want {
				want[i] = strings.ReplaceAll(w, "CONFIG", in.ConfigPath)
			}
			failuretest.WantUsage(t, err, want...)
			if err != nil && len(err.Error()) > 300 {
				t.Errorf("error is %d bytes long", len(err.Error()))
			}
		})
	}
}

func TestResolveTargetWithoutDomain(t *testing.T) {
	for _, config := range []string{"", "[targets.x]\ndomain = \"x-domain\"\n"} {
		in := &Inputs{Flags: map[string]string{}, Getenv: envMap(map[string]string{"AWS_REGION": "eu-west-1"})}
		if config != "" {
			in.ConfigPath = writeFile(t, "config.toml", config)
		} else {
			in.ConfigPath = t.TempDir() + "/missing.toml"
		}
		_, err := Resolve(in)
		failuretest.WantUsage(t, err, "no CodeArtifact domain")
	}
}

func TestResolveTargetMissingConfigNamesFile(t *testing.T) {
	in := &Inputs{Flags: map[string]string{"target": "work"}, Getenv: envMap(nil), ConfigPath: t.TempDir() + "/none.toml"}
	_, err := Resolve(in)
	failuretest.WantUsage(t, err, in.ConfigPath, "no such file")
}

func TestTargetString(t *testing.T) {
	tests := []struct {
		t    Target
		want string
	}{
		{Target{Domain: "d1", Owner: "111122223333", Region: "eu-west-1"}, "d1-111122223333 (eu-west-1)"},
		{Target{Domain: "d1", Region: "eu-west-1"}, "d1 (eu-west-1)"},
		{Target{Domain: "d1", Owner: "111122223333"}, "d1-111122223333"},
		{Target{Domain: "d1"}, "d1"},
	}
	for _, tt := range tests {
		if got := tt.t.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.t, got, tt.want)
		}
	}
}

func TestPrintable(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", `"plain"`},
		{"a\nb\tc", `"a\nb\tc"`},
		{`quote"d`, `"quote\"d"`},
		{"head" + strings.Repeat("x", 62) + "tail", `"head` + strings.Repeat("x", 27) + `…` + strings.Repeat("x", 26) + `tail"`}, // both ends kept
	}
	for _, tt := range tests {
		// every caller quotes with %q; the value must be escaped exactly once
		if got := fmt.Sprintf("%q", failure.Printable(tt.in)); got != tt.want {
			t.Errorf("%%q of failure.Printable(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
