package awsca

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/ca-helper/ca-helper/helper/failure"
)

// fakeSTS answers GetCallerIdentity with a canned account or error.
type fakeSTS struct {
	account *string
	err     error
}

func (f fakeSTS) GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error) {
	if f.err != nil {
		return nil, f.err
	}
	return &sts.GetCallerIdentityOutput{Account: f.account}, nil
}

func TestClientAccount(t *testing.T) {
	tests := []struct {
		name     string
		sts      fakeSTS
		want     string
		wantCode int // 0: no error
	}{
		{"account", fakeSTS{account: aws.String("111122223333")}, "111122223333", 0},
		{"no account", fakeSTS{}, "", failure.Runtime},
		{"not an account", fakeSTS{account: aws.String("1111-2222")}, "", failure.Runtime},
		{"expired credentials", fakeSTS{err: apiErr("ExpiredToken", "expired")}, "", failure.Auth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Client{newSTS: func(context.Context, Request) (stsAPI, error) { return tt.sts, nil }}
			got, err := c.Account(context.Background(), testRequest)
			var e *Error
			if got != tt.want || (tt.wantCode == 0) != (err == nil) || (err != nil && (!errors.As(err, &e) || e.ExitCode() != tt.wantCode)) {
				t.Errorf("Account = %q, %v; want %q, exit code %d", got, err, tt.want, tt.wantCode)
			}
		})
	}
}
