package cmdenv

import (
	"context"
	"time"

	"github.com/ca-helper/ca-helper/helper/awsproc"
	"github.com/ca-helper/ca-helper/helper/interrupt"
	"github.com/ca-helper/ca-helper/helper/names"
	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/helper/tokens"
)

// EndpointAPI is the part of AWS that tells a repository's endpoint.
type EndpointAPI interface {
	Endpoint(ctx context.Context, r awsproc.Request, repo, format string) (string, error)
}

// EndpointQuery is one GetRepositoryEndpoint call: which repository, in
// which package format, of which endpoint type ("" for the default).
type EndpointQuery struct {
	Target       target.Target
	Timeout      time.Duration
	Format       string
	EndpointType string
}

// LookupEndpoint asks api for the repository's endpoint within the
// command's deadline; settings, setup, endpoint and exec all ask through it.
func (e *Env) LookupEndpoint(ctx context.Context, q EndpointQuery, api EndpointAPI) (string, error) {
	e.Debugf("looking up the %s endpoint of repository %s in %s", q.Format, q.Target.Repository, q.Target)
	ctx, cancel := context.WithTimeout(ctx, q.Timeout)
	defer cancel()
	interrupt.Catch(ctx)
	r := tokens.Request(q.Target, 0, q.Timeout)
	r.EndpointType = q.EndpointType
	return api.Endpoint(ctx, r, q.Target.Repository, q.Format)
}

// KnownEndpoint is the repository's endpoint without asking AWS, when the
// target names domain, owner, region and repository and nothing moves the
// service: every CodeArtifact repository is served at
// https://DOMAIN-OWNER.d.codeartifact.REGION.amazonaws.com/FORMAT/REPO/
// (.amazonaws.com.cn in China), the URL GetRepositoryEndpoint answers. With
// AWS_ENDPOINT_URL(_CODEARTIFACT) set, or a host pinned in the config, only
// the service knows the endpoint; and the service is asked for any other
// endpoint type.
func (e *Env) KnownEndpoint(q EndpointQuery) (string, bool) {
	t := q.Target
	if t.Domain == "" || t.Owner == "" || t.Region == "" || t.Repository == "" || t.Host != "" || q.EndpointType != "" ||
		e.Getenv("AWS_ENDPOINT_URL_CODEARTIFACT") != "" || e.Getenv("AWS_ENDPOINT_URL") != "" ||
		!names.Domain(t.Domain) || !names.Account(t.Owner) || !names.Region(t.Region) || !names.Repository(t.Repository) {
		return "", false
	}
	host := target.Endpoint{Domain: t.Domain, Owner: t.Owner, Region: t.Region}.Host()
	return "https://" + host + "/" + q.Format + "/" + t.Repository + "/", true
}
