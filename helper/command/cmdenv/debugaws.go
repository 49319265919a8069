package cmdenv

import (
	"context"

	"github.com/ca-helper/ca-helper/helper/awsproc"
	"github.com/ca-helper/ca-helper/helper/tokens"
)

// debugAWS is the run's AWS asking for the SDK's log lines as debug lines
// when the run has --debug. Debug is read at each call: flags are read after
// the token service is built.
type debugAWS struct{ e *Env }

var _ tokens.AWS = debugAWS{}

func (d debugAWS) Token(ctx context.Context, r awsproc.Request) (awsproc.Token, error) {
	r.Debug = d.e.Debug
	return d.e.AWS.Token(ctx, r)
}

func (d debugAWS) Endpoint(ctx context.Context, r awsproc.Request, repo, format string) (string, error) {
	r.Debug = d.e.Debug
	return d.e.AWS.Endpoint(ctx, r, repo, format)
}

func (d debugAWS) Account(ctx context.Context, r awsproc.Request) (string, error) {
	r.Debug = d.e.Debug
	return d.e.AWS.Account(ctx, r)
}
