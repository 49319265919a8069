package cmdenv

import (
	"context"
	"time"

	"github.com/ca-helper/ca-helper/helper/awsproc"
	"github.com/ca-helper/ca-helper/helper/interrupt"
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
