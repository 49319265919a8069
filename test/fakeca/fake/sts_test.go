package fake

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

func TestGetCallerIdentity(t *testing.T) {
	for _, tt := range []struct {
		name, account, secret, want string
		wantErr                     bool
	}{
		{name: "default account", secret: "secret", want: DefaultOwner},
		{name: "chosen account", account: "444455556666", secret: "secret", want: "444455556666"},
		{name: "wrong secret", secret: "wrong", wantErr: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := startServer(t, Options{Account: tt.account, Secrets: map[string]string{"AKIDTEST": "secret"}})
			c := sts.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(s.URL()),
				Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", tt.secret, "")},
				func(o *sts.Options) { o.Retryer = aws.NopRetryer{} })
			out, err := c.GetCallerIdentity(testContext(t), &sts.GetCallerIdentityInput{})
			if tt.wantErr {
				if err == nil {
					t.Fatalf("a wrong signature was accepted: %+v", out)
				}
				return
			}
			if err != nil || aws.ToString(out.Account) != tt.want {
				t.Fatalf("GetCallerIdentity = %v, %v; want account %s", out, err, tt.want)
			}
			if s.Calls(OpGetCallerIdentity) != 1 || s.TokenCalls() != 0 {
				t.Errorf("calls: identity %d, token %d", s.Calls(OpGetCallerIdentity), s.TokenCalls())
			}
		})
	}
}
