package doctor

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/names"
)

// lazyRE compiles expr on first use: ca-helper links this package but runs
// doctor only in ca-helper-aws, so its start-up should not pay for regexps.
func lazyRE(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

func checkConfig(_ context.Context, s *state) Result {
	c := s.setup
	if c.ConfigErr != nil {
		return fail(or(c.ConfigErr.Code, failure.Usage), c.ConfigErr.Detail, c.ConfigErr.Fix)
	}
	path := c.ConfigPath
	if path == "" {
		path = "(no config dir)"
	}
	src := c.ConfigSource
	if src == "" || src == "default" {
		src = "default path"
	}
	return ok(fmt.Sprintf("%s (%s): %s", path, src, c.ConfigNote))
}

func checkTarget(_ context.Context, s *state) Result {
	t := s.setup.Target
	if p := s.setup.TargetErr; p != nil {
		fix := p.Fix
		if t.Region != "" && !names.Region(t.Region) {
			if guess := names.SuggestRegion(t.Region); guess != "" {
				fix = fmt.Sprintf("did you mean %s? (%q is not a region name; regions look like eu-west-1)", guess, t.Region)
			}
		}
		return fail(or(p.Code, failure.Usage), p.Detail, fix)
	}
	var b strings.Builder
	if t.Name != "" {
		fmt.Fprintf(&b, "target %s: ", t.Name)
	}
	b.WriteString(targetString(t))
	if t.Repository != "" {
		b.WriteString(", repository " + t.Repository)
	}
	var from []string
	for _, f := range []string{"domain", "domain-owner", "region", "profile", "repository"} {
		if src := t.Sources[f]; src != "" {
			from = append(from, f+" from "+src)
		}
	}
	if t.Owner == "" {
		from = append(from, "domain-owner: the caller's own account")
	}
	if len(from) > 0 {
		b.WriteString("; " + strings.Join(from, ", "))
	}
	return ok(b.String())
}

// targetString is DOMAIN-OWNER (REGION), as the CLI prints a target.
func targetString(t Target) string {
	s := t.Domain
	if t.Owner != "" {
		s += "-" + t.Owner
	}
	if t.Region != "" {
		s += " (" + t.Region + ")"
	}
	return s
}

func or(code, def int) int {
	if code == 0 {
		return def
	}
	return code
}
