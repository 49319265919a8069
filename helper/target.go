package helper

import (
	"fmt"

	"github.com/ca-helper/ca-helper/helper/names"
)

// Target is which token: domain, owner, region, AWS profile, and the repository
// used by settings, doctor and policy. Region and profile may stay empty: the SDK
// then takes them from the AWS shared config, but only when a fetch needs them.
type Target struct {
	Name       string // config target name, if one was used
	Domain     string
	Owner      string // empty: the caller's own account
	Region     string
	Profile    string
	Repository string
	Format     string // from --url, if any
	Host       string // a repository host pinned in the config
	Sources    map[string]string
}

// field is one target field together with the place it was set.
type field struct {
	name   string // "domain", "domain-owner", …
	value  string
	source string
	valid  func(string) bool
	want   string
}

// String is the short human name used in messages: DOMAIN-OWNER (REGION).
func (t Target) String() string {
	s := t.Domain
	if t.Owner != "" {
		s += "-" + t.Owner
	}
	if t.Region != "" {
		s += " (" + t.Region + ")"
	}
	return s
}

func (t *Target) set(name, value, source string) {
	if value == "" {
		return
	}
	p := t.ptr(name)
	if *p != "" {
		return
	}
	*p = value
	t.Sources[name] = source
}

func (t *Target) ptr(name string) *string {
	switch name {
	case "domain":
		return &t.Domain
	case "domain-owner":
		return &t.Owner
	case "region":
		return &t.Region
	case "profile":
		return &t.Profile
	case "repository":
		return &t.Repository
	}
	panic("unknown target field " + name)
}

// validate checks every field before any network call; the error names the
// flag, env var or config line the bad value came from.
func (t Target) validate() error {
	fields := []field{
		{"domain", t.Domain, t.Sources["domain"], names.Domain, "2-50 lowercase letters, digits and dashes, starting with a letter"},
		{"domain-owner", t.Owner, t.Sources["domain-owner"], names.Account, "a 12-digit AWS account id"},
		{"region", t.Region, t.Sources["region"], names.Region, "a region such as eu-west-1"},
		{"profile", t.Profile, t.Sources["profile"], names.Profile, "an AWS profile name"},
		{"repository", t.Repository, t.Sources["repository"], names.Repository, "2-100 letters, digits, '.', '_' or '-'"},
	}
	if t.Domain == "" {
		return usageErr("pass --domain, --url or --target, or set CODEARTIFACT_DOMAIN or a default target in the config file",
			"no CodeArtifact domain given")
	}
	for _, f := range fields {
		if f.value != "" && !f.valid(f.value) {
			return usageErr(fmt.Sprintf("%s must be %s", f.name, f.want),
				"invalid %s %q from %s", f.name, printable(f.value), f.source)
		}
	}
	return nil
}

// printable shortens a bad value; callers quote it with %q, which escapes it, so an error line stays one line.
func printable(s string) string {
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	return s
}
