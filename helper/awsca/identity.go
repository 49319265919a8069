package awsca

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/ca-helper/ca-helper/helper/awsproc"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/names"
)

// stsAPI is the part of the STS client this package uses.
type stsAPI interface {
	GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
}

var _ stsAPI = (*sts.Client)(nil)

func sdkSTS(ctx context.Context, r Request) (stsAPI, error) {
	cfg, err := sdkConfig(ctx, r)
	if err != nil {
		return nil, err
	}
	return sts.NewFromConfig(cfg), nil
}

// Account is the account of the credentials r names (STS
// GetCallerIdentity, which needs no permission): the credential helpers
// serve that account's CodeArtifact hosts by default.
func (c *Client) Account(ctx context.Context, r Request) (string, error) {
	cl, err := c.newSTS(ctx, r)
	if err != nil {
		return "", err
	}
	out, err := cl.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", classify("get caller identity", err, r)
	}
	account := aws.ToString(out.Account)
	if !names.Account(account) {
		return "", &Error{Code: failure.Runtime, Reason: "unexpected answer", hint: awsproc.UnexpectedHint,
			op: "get caller identity", err: errors.New("STS named no 12-digit account")}
	}
	return account, nil
}
