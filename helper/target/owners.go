package target

import (
	"slices"
	"strings"

	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/names"
)

// AllowedOwnersEnv names the variable that sets the allowed domain owners:
// 12-digit account ids separated by commas.
const AllowedOwnersEnv = "CA_HELPER_ALLOWED_OWNERS"

// Owners is the allow-list of domain owners for the credential helpers (git,
// Cargo, Bazel). Their requests name a host, and a CodeArtifact host names
// its domain's owner; whoever writes a URL that git, Cargo or Bazel follows
// (a remote, a submodule, an index, a download) chooses it. Without the list
// the helpers would sign a GetAuthorizationToken with the user's keys for a
// domain of any account, and hand the token to that host.
type Owners struct {
	Accounts []string // allowed owners, sorted, each once
	Self     bool     // the caller's own account is allowed too
	Source   string   // "env CA_HELPER_ALLOWED_OWNERS", "config PATH:N (allowed_owners)" or "default"
}

// ResolveOwners returns the allowed owners: CA_HELPER_ALLOWED_OWNERS, else
// the config file's allowed_owners, each the whole list. Without either the
// default keeps a user of one account working with no set-up: the owners the
// user named (the config targets' domain_owner, CODEARTIFACT_DOMAIN_OWNER and
// the owner in CODEARTIFACT_URL) and the caller's own account.
func ResolveOwners(in *Inputs) (Owners, error) {
	if v := in.Getenv(AllowedOwnersEnv); v != "" {
		o := Owners{Source: "env " + AllowedOwnersEnv}
		for _, a := range strings.Split(v, ",") {
			if a = strings.TrimSpace(a); a == "" {
				continue
			}
			if !names.Account(a) {
				return o, failure.Usagef("list 12-digit AWS account ids separated by commas, e.g. "+AllowedOwnersEnv+"=111122223333,444455556666",
					"invalid owner %q in env %s", failure.Printable(a), AllowedOwnersEnv)
			}
			o.Accounts = append(o.Accounts, a)
		}
		return o.sorted(), nil
	}
	c, err := in.LoadConfig()
	if err != nil {
		return Owners{}, err
	}
	if c.AllowedOwners != nil {
		o := Owners{Accounts: slices.Clone(c.AllowedOwners), Source: c.whereTop("allowed_owners")}
		return o.sorted(), nil
	}
	o := Owners{Self: true, Source: "default"}
	for _, tc := range c.Targets {
		if tc.DomainOwner != "" {
			o.Accounts = append(o.Accounts, tc.DomainOwner)
		}
	}
	if v := in.Getenv("CODEARTIFACT_DOMAIN_OWNER"); names.Account(v) {
		o.Accounts = append(o.Accounts, v)
	}
	if ep, err := ParseURL(in.Getenv("CODEARTIFACT_URL")); err == nil {
		o.Accounts = append(o.Accounts, ep.Owner)
	}
	return o.sorted(), nil
}

func (o Owners) sorted() Owners {
	slices.Sort(o.Accounts)
	o.Accounts = slices.Compact(o.Accounts)
	return o
}

// Allowed reports whether a credential helper may fetch a token for a
// domain of owner. self returns the caller's account; it is called only
// when the list alone does not allow owner and o.Self is set, as it may
// cost an AWS call. An empty owner is the caller's own account (a config
// target that pins a host and names no domain_owner), which the user chose
// in the config, and is allowed.
func (o Owners) Allowed(owner string, self func() (string, error)) (bool, error) {
	if owner == "" || slices.Contains(o.Accounts, owner) {
		return true, nil
	}
	if !o.Self {
		return false, nil
	}
	account, err := self()
	if err != nil {
		return false, err
	}
	return account == owner, nil
}

// String lists the allowed owners for messages, e.g. "111122223333 and the
// caller's own account (default)".
func (o Owners) String() string {
	list := slices.Clone(o.Accounts)
	if o.Self {
		list = append(list, "the caller's own account")
	}
	s := "none"
	switch n := len(list); {
	case n == 1:
		s = list[0]
	case n > 1:
		s = strings.Join(list[:n-1], ", ") + " and " + list[n-1]
	}
	return s + " (" + o.Source + ")"
}
