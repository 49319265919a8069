package doctor

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/safetext"
)

func checkPermissions(ctx context.Context, s *state) Result {
	ctx, cancel := context.WithTimeout(ctx, s.deps.Timeout)
	defer cancel()
	tok, exp, err := s.deps.AWS.Token(ctx, s.setup.Duration)
	if err != nil {
		return permissionsFailure(s, callError(err))
	}
	s.token = tok
	left := exp.Sub(s.deps.Now())
	base := "GetAuthorizationToken allowed for domain " + s.setup.Target.Domain
	minTTL := s.setup.MinTTL
	if d := s.setup.Duration; d > 0 {
		minTTL = min(minTTL, d/2)
	}
	switch {
	case left <= 0:
		return fail(failure.Runtime, base+", but the token it returned has already expired",
			"check the system clock (see the clock check) and that the AWS session has not ended")
	case left < minTTL:
		return warn(fmt.Sprintf("%s, but the token lives only %s (min-ttl %s)", base, human(left), human(minTTL)),
			"a token cannot outlive the AWS session that asked for it: start a longer session, or lower --min-ttl; until then every `get` fetches a new token")
	}
	return ok(fmt.Sprintf("%s; token valid for %s (not stored)", base, human(left)))
}

// permissionsFailure explains a failed GetAuthorizationToken. Credentials
// the service refused are the credentials check's failure, not this one's.
func permissionsFailure(s *state, e *CallError) Result {
	t := s.setup.Target
	switch e.Cause {
	case CauseNoCredentials, CauseSSOExpired, CauseExpired, CauseBadCredentials:
		r := credentialsFailure(s, s.creds, e)
		r.Name, r.blame = "credentials", true
		return r
	case CauseAccessDenied:
		return fail(or(e.Code, failure.Auth), e.Detail, deniedFix(e.Detail, t, s.region))
	case CauseNotFound:
		return fail(or(e.Code, failure.Runtime), e.Detail, s.notFoundFix())
	}
	return fail(e.Code, e.Detail, e.Hint)
}

var deniedAction = lazyRE(`not authorized to perform: ([A-Za-z0-9-]+:[A-Za-z0-9]+)`)

const stsGrant = "sts:GetServiceBearerToken on * with the condition sts:AWSServiceName = codeartifact.amazonaws.com"

// deniedFix names the actions to allow, starting with the one the service named.
func deniedFix(msg string, t Target, region string) string {
	var named []string
	for _, m := range deniedAction().FindAllStringSubmatch(msg, -1) {
		if !slices.Contains(named, m[1]) {
			named = append(named, m[1])
		}
	}
	ca := fmt.Sprintf("codeartifact:GetAuthorizationToken on arn:aws:codeartifact:%s:%s:domain/%s",
		orText(region, "REGION"), orText(t.Owner, "ACCOUNT"), t.Domain)
	var fix string
	switch {
	case slices.Contains(named, "sts:GetServiceBearerToken"):
		fix = "allow " + stsGrant + " (the action denied)"
	case slices.Contains(named, "codeartifact:GetAuthorizationToken"):
		fix = "allow " + ca + " (the action denied), and " + stsGrant + ", which the call needs too"
	default:
		fix = "allow " + ca + " and " + stsGrant
	}
	if strings.Contains(strings.ToLower(msg), "explicit deny") {
		fix = "an explicit Deny (an SCP, permissions boundary or policy) blocks it: ask the account admin to lift it and " + fix
	}
	return fix + "; `ca-helper policy` prints a least-privilege policy"
}

// notFoundFix lists the values that decide which domain is asked for, and
// where each came from.
func (s *state) notFoundFix() string {
	t := s.setup.Target
	parts := []string{fmt.Sprintf("domain %q (from %s)", t.Domain, orText(t.Sources["domain"], "?"))}
	if t.Owner != "" {
		parts = append(parts, fmt.Sprintf("domain owner %s (from %s)", t.Owner, orText(t.Sources["domain-owner"], "?")))
	} else {
		parts = append(parts, "no domain owner, so the caller's own account (pass --domain-owner if another account owns the domain)")
	}
	parts = append(parts, fmt.Sprintf("region %s (from %s)", s.region, s.regionSource()))
	return "one of these is wrong: " + strings.Join(parts, ", ") +
		fmt.Sprintf("; `aws codeartifact list-domains --region %s` lists the domains you can see", orText(s.region, "REGION"))
}

func checkRepository(ctx context.Context, s *state) Result {
	t := s.setup.Target
	if t.Repository == "" {
		return skip("no repository set: pass --repository, set CODEARTIFACT_REPOSITORY, or add repository to the config target")
	}
	ctx, cancel := context.WithTimeout(ctx, s.deps.Timeout)
	defer cancel()
	url, err := s.deps.AWS.RepositoryEndpoint(ctx, t.Repository)
	if err != nil {
		e := callError(err)
		switch e.Cause {
		case CauseAccessDenied:
			return fail(or(e.Code, failure.Auth), e.Detail, "allow codeartifact:GetRepositoryEndpoint on "+s.repositoryARN())
		case CauseNotFound:
			owner := ""
			if t.Owner != "" {
				owner = " --domain-owner " + t.Owner
			}
			return fail(or(e.Code, failure.Runtime), e.Detail, fmt.Sprintf(
				"repository %q (from %s) is not in domain %s: check --repository; `aws codeartifact list-repositories-in-domain --domain %s%s --region %s` lists them",
				t.Repository, orText(t.Sources["repository"], "?"), t.Domain, t.Domain, owner, s.region))
		}
		return fail(e.Code, e.Detail, e.Hint)
	}
	s.repoURL = url
	return ok(fmt.Sprintf("GetRepositoryEndpoint allowed for %s: %s", t.Repository, safetext.URL(url)))
}

func (s *state) repositoryARN() string {
	t := s.setup.Target
	return fmt.Sprintf("arn:aws:codeartifact:%s:%s:repository/%s/%s", orText(s.region, "REGION"), orText(t.Owner, "ACCOUNT"), t.Domain, t.Repository)
}

// human prints a duration the way people say it: 42s, 5m, 11h59m.
func human(d time.Duration) string {
	if d = d.Round(time.Second); d < time.Minute {
		return fmt.Sprintf("%ds", int(max(d, 0)/time.Second))
	}
	if d = d.Round(time.Minute); d < time.Hour {
		return fmt.Sprintf("%dm", int(d/time.Minute))
	}
	if d%time.Hour == 0 {
		return fmt.Sprintf("%dh", int(d/time.Hour))
	}
	return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

func orText(s, placeholder string) string {
	if s == "" {
		return placeholder
	}
	return s
}
