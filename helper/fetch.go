package helper

import (
	"context"
	"time"

	"github.com/ca-helper/ca-helper/helper/awsproc"
	"github.com/ca-helper/ca-helper/keyring"
)

// AWS is everything ca-helper asks of AWS. In ca-helper it is an
// awsproc.Client, which runs ca-helper-aws; in ca-helper-aws it is the SDK.
type AWS interface {
	Token(ctx context.Context, r awsproc.Request) (awsproc.Token, error)
	Endpoint(ctx context.Context, r awsproc.Request, repo, format string) (string, error)
}

var _ AWS = awsproc.Client{}

// awsFetcher adapts AWS to tokenFetcher.
type awsFetcher struct {
	aws     AWS
	timeout time.Duration
}

var _ tokenFetcher = awsFetcher{}

func (f awsFetcher) Fetch(ctx context.Context, t Target, d time.Duration) (keyring.Entry, error) {
	tok, err := f.aws.Token(ctx, awsRequest(t, d, f.timeout))
	if err != nil {
		return keyring.Entry{}, err
	}
	return keyring.Entry{Token: keyring.Token(tok.Value), Expiration: tok.Expiration}, nil
}

func awsRequest(t Target, d, timeout time.Duration) awsproc.Request {
	return awsproc.Request{Domain: t.Domain, Owner: t.Owner, Region: t.Region, Profile: t.Profile,
		Duration: d, Timeout: timeout}
}
