// Package target says which token is meant: a CodeArtifact domain, its owner,
// region, AWS profile and repository, resolved from flags, a repository URL,
// the config file and the environment, with the source of every field kept
// for error messages. It knows nothing of the command line.
package target

import (
	"fmt"

	"github.com/ca-helper/ca-helper/helper/failure"
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

// Field names a target field; it is also the key of Sources and the name
// of the flag that sets the field.
type Field string

// The fields a caller can set.
const (
	Domain     Field = "domain"
	Owner      Field = "domain-owner"
	Region     Field = "region"
	Profile    Field = "profile"
	Repository Field = "repository"
)

// Fields are the settable fields in the order flags list them.
var Fields = []Field{Domain, Owner, Region, Profile, Repository}

// Set sets field f to value from source, unless value is empty or the field
// was set before (the first source wins).
func (t *Target) Set(f Field, value, source string) {
	p := t.ptr(f)
	if value == "" || p == nil || *p != "" {
		return
	}
	*p = value
	t.Sources[string(f)] = source
}

func (t *Target) ptr(f Field) *string {
	switch f {
	case Domain:
		return &t.Domain
	case Owner:
		return &t.Owner
	case Region:
		return &t.Region
	case Profile:
		return &t.Profile
	case Repository:
		return &t.Repository
	}
	return nil
}

// Validate checks every field before any network call; the error names the
// flag, env var or config line the bad value came from.
func (t Target) Validate() error {
	fields := []field{
		{"domain", t.Domain, t.Sources["domain"], names.Domain, "2-50 lowercase letters, digits and dashes, starting with a letter"},
		{"domain-owner", t.Owner, t.Sources["domain-owner"], names.Account, "a 12-digit AWS account id"},
		{"region", t.Region, t.Sources["region"], names.Region, "a region such as eu-west-1"},
		{"profile", t.Profile, t.Sources["profile"], names.Profile, "an AWS profile name"},
		{"repository", t.Repository, t.Sources["repository"], names.Repository, "2-100 letters, digits, '.', '_' or '-'"},
	}
	if t.Domain == "" {
		return failure.Usagef("pass --domain, --url or --target, or set CODEARTIFACT_DOMAIN or a default target in the config file",
			"no CodeArtifact domain given")
	}
	for _, f := range fields {
		if f.value != "" && !f.valid(f.value) {
			hint := fmt.Sprintf("%s must be %s", f.name, f.want)
			if guess := names.SuggestRegion(f.value); f.name == "region" && guess != "" {
				hint = fmt.Sprintf("did you mean %s? (%s must be %s)", guess, f.name, f.want)
			}
			return failure.Usagef(hint, "invalid %s %q from %s", f.name, failure.Printable(f.value), f.source)
		}
	}
	return nil
}
