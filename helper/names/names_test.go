package names

import (
	"regexp"
	"strings"
	"testing"
)

// The loops must agree with these patterns, on a table of
// edge cases and on fuzzed input.
var patterns = map[string]struct {
	check func(string) bool
	re    *regexp.Regexp
}{
	"domain":     {Domain, regexp.MustCompile(`^[a-z][a-z0-9-]{0,48}[a-z0-9]$`)},
	"account":    {Account, regexp.MustCompile(`^[0-9]{12}$`)},
	"region":     {Region, regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)},
	"repository": {Repository, regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{1,99}$`)},
	"profile":    {Profile, regexp.MustCompile(`^[A-Za-z0-9_.@+=,:/-]{1,128}$`)},
	"envvar":     {EnvVar, regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,127}$`)},
}

var samples = []string{
	"", "a", "ab", "a-", "-a", "my-domain", "My-domain", "dom_ain", "d1", "1d", strings.Repeat("a", 50), strings.Repeat("a", 51),
	"111122223333", "11112222333", "1111222233334", "11112222333a",
	"eu-west-1", "us-gov-east-1", "us-east1", "useast-1", "us-east-", "us--east-1", "eu-west-1a", "EU-west-1", "e-west-1", "eu-1",
	"releases", "r", "my.repo_1-x", ".repo", strings.Repeat("r", 100), strings.Repeat("r", 101),
	"default", "dev@corp", "a b", "p\n", strings.Repeat("p", 128), strings.Repeat("p", 129),
	"CODEARTIFACT_AUTH_TOKEN", "_X", "9X", "A-B", "ä",
}

func TestChecksMatchPatterns(t *testing.T) {
	for name, p := range patterns {
		for _, s := range samples {
			if got, want := p.check(s), p.re.MatchString(s); got != want {
				t.Errorf("%s(%q) = %v, pattern says %v", name, s, got, want)
			}
		}
	}
}

func TestKnownAnswers(t *testing.T) {
	tests := []struct {
		check func(string) bool
		in    string
		want  bool
	}{
		{Domain, "my-domain", true}, {Domain, "my-domain-", false}, {Domain, "My", false},
		{Account, "111122223333", true}, {Account, "1111", false},
		{Region, "eu-west-1", true}, {Region, "us-east1", false}, {Region, "cn-northwest-1", true},
		{Repository, "releases", true}, {Repository, "r", false},
		{Profile, "dev", true}, {Profile, "a b", false},
		{EnvVar, "MVN_TOKEN", true}, {EnvVar, "1X", false},
	}
	for _, tt := range tests {
		if got := tt.check(tt.in); got != tt.want {
			t.Errorf("check(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func FuzzChecksMatchPatterns(f *testing.F) {
	for _, s := range samples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for name, p := range patterns {
			if got, want := p.check(s), p.re.MatchString(s); got != want {
				t.Errorf("%s(%q) = %v, pattern says %v", name, s, got, want)
			}
		}
	})
}
