package tokens

import (
	"context"
	"time"

	"github.com/ca-helper/ca-helper/helper/awsproc"
	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/keyring"
)

// AWS is everything ca-helper asks of AWS. In ca-helper it is an
// awsproc.Client, which runs ca-helper-aws; in ca-helper-aws it is the SDK.
type AWS interface {
	Token(ctx context.Context, r awsproc.Request) (awsproc.Token, error)
	Endpoint(ctx context.Context, r awsproc.Request, repo, format string) (string, error)
	Account(ctx context.Context, r awsproc.Request) (string, error)
}

var _ AWS = awsproc.Client{}

// AWSFetcher adapts AWS to Fetcher.
type AWSFetcher struct {
	AWS     AWS
	Timeout time.Duration
}

var _ Fetcher = AWSFetcher{}

func (f AWSFetcher) Fetch(ctx context.Context, t target.Target, d time.Duration) (keyring.Entry, error) {
	tok, err := f.AWS.Token(ctx, Request(t, d, f.Timeout))
	if err != nil {
		return keyring.Entry{}, err
	}
	return keyring.Entry{Token: tok.Value, Expiration: tok.Expiration}, nil
}

// Request is what ca-helper-aws is asked for the token of t.
func Request(t target.Target, d, timeout time.Duration) awsproc.Request {
	return awsproc.Request{Domain: t.Domain, Owner: t.Owner, Region: t.Region, Profile: t.Profile,
		Duration: d, Timeout: timeout}
}
