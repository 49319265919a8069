package target

import (
	"sort"
	"strings"

	"github.com/ca-helper/ca-helper/helper/failure"
)

// ResolveHost finds the target of a credential helper's request for host, a
// lower-cased host name that may carry ":port". A CodeArtifact repository
// host names its domain, owner and region; any other host is ours only when
// a config target pins it with `host`. ok=false means the host is not ours;
// name is the config target used, if any.
//
// The profile comes from --profile, then a config target for the host, then
// AWS_PROFILE.
func ResolveHost(in *Inputs, host string) (t Target, name string, ok bool, err error) {
	cfg, err := in.LoadConfig()
	if err != nil {
		return Target{}, "", false, err
	}
	t = Target{Sources: map[string]string{}}
	if v, set := in.Flags["profile"]; set {
		if v == "" {
			return t, "", false, failure.Usagef("give the flag a value or leave it out", "flag --profile is empty")
		}
		t.Set(Profile, v, "flag --profile")
	}
	ep, perr := ParseHost(host)
	name = targetForHost(cfg, host, ep, perr == nil)
	if perr != nil && name == "" {
		return t, "", false, nil
	}
	if perr == nil {
		source := "request host " + host
		t.Set(Domain, ep.Domain, source)
		t.Set(Owner, ep.Owner, source)
		t.Set(Region, ep.Region, source)
	}
	if name != "" {
		if err := ApplyConfigTarget(&t, in, name, "request host "+host); err != nil {
			return t, name, false, err
		}
	}
	t.Set(Region, in.Getenv("AWS_REGION"), "env AWS_REGION")
	t.Set(Region, in.Getenv("AWS_DEFAULT_REGION"), "env AWS_DEFAULT_REGION")
	t.Set(Profile, in.Getenv("AWS_PROFILE"), "env AWS_PROFILE")
	if err := t.Validate(); err != nil {
		return t, name, false, err
	}
	return t, name, true, nil
}

// targetForHost names the config target for host, or "". A target whose
// `host` is host wins. For a CodeArtifact host (isCA), a target with the same
// domain, and the same owner and region where it names them, comes next:
// the default target first, then by name.
func targetForHost(cfg *Config, host string, ep Endpoint, isCA bool) string {
	names := make([]string, 0, len(cfg.Targets))
	for n := range cfg.Targets {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if pinned := cfg.Targets[n].Host; pinned != "" && strings.ToLower(pinned) == host {
			return n
		}
	}
	if !isCA {
		return ""
	}
	matches := func(n string) bool {
		tc, ok := cfg.Targets[n]
		return ok && tc.Domain == ep.Domain && (tc.DomainOwner == "" || tc.DomainOwner == ep.Owner) &&
			(tc.Region == "" || tc.Region == ep.Region)
	}
	if cfg.Default != "" && matches(cfg.Default) {
		return cfg.Default
	}
	for _, n := range names {
		if matches(n) {
			return n
		}
	}
	return ""
}
