package doctor

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/names"
	"github.com/ca-helper/ca-helper/keyring"
)

// AWS is CodeArtifact as the SDK sees it. Errors are *CallError.
type AWS interface {
	// Credentials resolves the SDK's credential chain.
	Credentials(ctx context.Context) (Credentials, error)
	// Region is the region the SDK would use ("" when none is set).
	Region(ctx context.Context) (string, error)
	// Endpoint is where the SDK would send API calls.
	Endpoint(ctx context.Context) (Endpoint, error)
	// Token calls GetAuthorizationToken; the token must not be stored.
	Token(ctx context.Context, d time.Duration) (keyring.Token, time.Time, error)
	// RepositoryEndpoint calls GetRepositoryEndpoint for a Maven repository.
	RepositoryEndpoint(ctx context.Context, repo string) (string, error)
}

// Credentials describes what the credential chain found; never the secret.
type Credentials struct {
	Source      string // env, profile, assumed role, SSO, web identity, container, EC2 instance profile, …
	File        string // the file a "profile" source read
	AccessKeyID string
	Session     bool // a session token came with the keys
	CanExpire   bool
	Expires     time.Time
}

// Endpoint is the CodeArtifact API endpoint and where it was configured.
type Endpoint struct {
	URL    string
	Source string // "default", "env AWS_ENDPOINT_URL_CODEARTIFACT", …
}

func (s *state) profile() string {
	if p := s.setup.Target.Profile; p != "" {
		return p
	}
	return "default"
}

func checkCredentials(ctx context.Context, s *state) Result {
	ctx, cancel := context.WithTimeout(ctx, s.deps.Timeout)
	defer cancel()
	c, err := s.deps.AWS.Credentials(ctx)
	if err != nil {
		return credentialsFailure(s, "", callError(err))
	}
	s.credSource = c.Source
	s.creds = describeCredentials(c, s.profile())
	if !c.CanExpire {
		return ok(s.creds)
	}
	left := c.Expires.Sub(s.deps.Now())
	if left <= 0 {
		return fail(failure.Auth, fmt.Sprintf("%s: expired %s ago", s.creds, human(-left)), refreshFix(c.Source, s.profile()))
	}
	return ok(fmt.Sprintf("%s, expires in %s", s.creds, human(left)))
}

// describeCredentials names the source as users know it, e.g.
// "env (AWS_ACCESS_KEY_ID AKID…TEST)" or "SSO (profile dev, ASIA…WXYZ)".
func describeCredentials(c Credentials, profile string) string {
	key := shortKey(c.AccessKeyID)
	switch c.Source {
	case "env":
		if c.Session {
			return fmt.Sprintf("env (AWS_ACCESS_KEY_ID %s, with AWS_SESSION_TOKEN)", key)
		}
		return fmt.Sprintf("env (AWS_ACCESS_KEY_ID %s)", key)
	case "profile":
		return fmt.Sprintf("profile %s (%s, %s)", profile, orText(c.File, "shared config"), key)
	case "web identity", "container", "EC2 instance profile":
		return fmt.Sprintf("%s (%s)", c.Source, key)
	}
	return fmt.Sprintf("%s (profile %s, %s)", c.Source, profile, key)
}

// shortKey shows enough of an access key id to recognise it.
func shortKey(id string) string {
	switch {
	case id == "":
		return "no key id"
	case len(id) >= 12:
		return id[:4] + "…" + id[len(id)-4:]
	}
	return id[:min(4, len(id))] + "…"
}

// credentialsFailure explains credentials that were not found or that the
// service refused; on is what was found, when anything was.
func credentialsFailure(s *state, on string, e *CallError) Result {
	detail := e.Detail
	if on != "" {
		detail = on + ": " + detail
	}
	p := s.profile()
	fix := e.Hint
	switch e.Cause {
	case CauseSSOExpired:
		fix = fmt.Sprintf("run `aws sso login --profile %s`", p)
	case CauseNoCredentials:
		if !strings.HasPrefix(fix, "configure AWS credentials") && fix != "" {
			break // a specific hint, e.g. a profile that does not exist
		}
		if on == "" {
			detail = fmt.Sprintf("none found in env, profile %s, web identity, container or EC2 instance profile: %s",
				p, strings.TrimPrefix(detail, "no credentials: "))
		}
		fix = "export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, set AWS_PROFILE (or --profile) to a configured profile, run `aws configure` or `aws sso login`, or run where an instance or task role is available"
		if s.setup.Target.Profile != "" {
			fix = fmt.Sprintf("give profile %s credentials (`aws configure --profile %s`, or `aws sso login --profile %s` for SSO), or choose another with --profile / AWS_PROFILE", p, p, p)
		}
	case CauseExpired:
		fix = refreshFix(s.credSource, p)
	}
	return fail(or(e.Code, failure.Auth), detail, fix)
}

// refreshFix says how to renew credentials from source.
func refreshFix(source, profile string) string {
	switch source {
	case "env":
		return "export fresh AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or unset them to use a profile"
	case "SSO":
		return fmt.Sprintf("run `aws sso login --profile %s`", profile)
	case "profile":
		return fmt.Sprintf("replace the keys of profile %s (`aws configure --profile %s`)", profile, profile)
	}
	return "refresh your AWS credentials (aws sso login, new session keys, or re-assume the role)"
}

func checkRegion(ctx context.Context, s *state) Result {
	r, err := s.deps.AWS.Region(ctx)
	if err != nil { // the AWS config did not load: the credentials check said why
		return skip("not checked: the AWS config did not load: " + callError(err).Detail)
	}
	s.region = r
	p := s.profile()
	if r == "" {
		return fail(failure.Usage, "no region set",
			fmt.Sprintf("pass --region, set AWS_REGION, or give profile %s a region: `aws configure set region us-east-1 --profile %s`", p, p))
	}
	src := s.regionSource()
	if !names.Region(r) {
		fix := "use a region such as eu-west-1"
		if guess := names.SuggestRegion(r); guess != "" {
			fix = "did you mean " + guess + "?"
		}
		return fail(failure.Usage, fmt.Sprintf("%q from %s is not a region name", r, src), fix)
	}
	return ok(fmt.Sprintf("%s (from %s)", r, src))
}

func (s *state) regionSource() string {
	if src := s.setup.Target.Sources["region"]; src != "" {
		return src
	}
	return "the AWS config of profile " + s.profile()
}
