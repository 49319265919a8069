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
			if guess := suggestRegion(t.Region); guess != "" {
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

var (
	azSuffix      = lazyRE(`([0-9])[a-z]$`)        // eu-west-1a: an availability zone
	lettersDigits = lazyRE(`([a-z])-?([0-9]+)$`)   // us-east1
	twoLetters    = lazyRE(`^([a-z]{2})-?([a-z])`) // useast-1
	dashes        = lazyRE(`[-_ .]+`)              // us_east_1, us--east-1
	trimDashes    = lazyRE(`^[-_ .]+|[-_ .]+$`)    // -us-east-1-
	digitsOnly    = lazyRE(`^[a-z]{2}-[0-9]+$`)    // never a guess
	guessPattern  = lazyRE(`^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$`)
)

// suggestRegion guesses the region meant by a mistyped name such as
// "us-east1", "US_EAST_1", "useast-1" or the zone "eu-west-1a"; "" when
// it cannot tell.
func suggestRegion(r string) string {
	s := strings.ToLower(strings.TrimSpace(r))
	s = trimDashes().ReplaceAllString(dashes().ReplaceAllString(s, "-"), "")
	s = azSuffix().ReplaceAllString(s, "$1")
	s = lettersDigits().ReplaceAllString(s, "$1-$2")
	s = twoLetters().ReplaceAllString(s, "$1-$2")
	if s == r || digitsOnly().MatchString(s) || !guessPattern().MatchString(s) {
		return ""
	}
	return s
}

func or(code, def int) int {
	if code == 0 {
		return def
	}
	return code
}
