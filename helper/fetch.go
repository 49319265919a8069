package helper

import (
	"context"
	"time"

	"github.com/ca-helper/ca-helper/helper/awsca"
	"github.com/ca-helper/ca-helper/keyring"
)

// awsFetcher adapts awsca.Client to tokenFetcher.
type awsFetcher struct{ client *awsca.Client }

var _ tokenFetcher = awsFetcher{}

func (f awsFetcher) Fetch(ctx context.Context, t Target, d time.Duration) (keyring.Entry, error) {
	tok, err := f.client.Token(ctx, awsRequest(t, d))
	if err != nil {
		return keyring.Entry{}, err
	}
	return keyring.Entry{Token: keyring.Token(tok.Value), Expiration: tok.Expiration}, nil
}

func awsRequest(t Target, d time.Duration) awsca.Request {
	return awsca.Request{Domain: t.Domain, Owner: t.Owner, Region: t.Region, Profile: t.Profile, Duration: d}
}
