package fake

import (
	"errors"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codeartifact"
	"github.com/aws/aws-sdk-go-v2/service/codeartifact/types"
)

var tokenChars = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

func TestGetAuthorizationToken(t *testing.T) {
	tests := []struct {
		name     string
		opts     Options
		in       codeartifact.GetAuthorizationTokenInput
		lifetime time.Duration
		wantErr  any // pointer to the SDK error type expected, nil for success
	}{
		{name: "default duration", in: input("demo", "", nil), lifetime: 12 * time.Hour},
		{name: "zero duration", in: input("demo", "", aws.Int64(0)), lifetime: 12 * time.Hour},
		{name: "shortest", in: input("demo", "123456789012", aws.Int64(900)), lifetime: 15 * time.Minute},
		{name: "longest", in: input("demo", "", aws.Int64(43200)), lifetime: 12 * time.Hour},
		{name: "ttl caps", opts: Options{TokenTTL: time.Hour}, in: input("demo", "", aws.Int64(7200)), lifetime: time.Hour},
		{name: "ttl above request", opts: Options{TokenTTL: 5 * time.Hour}, in: input("demo", "", aws.Int64(3600)), lifetime: time.Hour},
		{name: "allowed domain", opts: Options{Domains: []string{"demo"}}, in: input("demo", "", nil), lifetime: 12 * time.Hour},
		{name: "too short", in: input("demo", "", aws.Int64(899)), wantErr: new(*types.ValidationException)},
		{name: "too long", in: input("demo", "", aws.Int64(43201)), wantErr: new(*types.ValidationException)},
		{name: "bad domain", in: input("Bad_Domain", "", nil), wantErr: new(*types.ValidationException)},
		{name: "one-letter domain", in: input("d", "", nil), wantErr: new(*types.ValidationException)},
		{name: "bad owner", in: input("demo", "12345", nil), wantErr: new(*types.ValidationException)},
		{name: "missing domain", in: input("missing", "", nil), wantErr: new(*types.ResourceNotFoundException)},
		{name: "unlisted domain", opts: Options{Domains: []string{"other"}}, in: input("demo", "", nil), wantErr: new(*types.ResourceNotFoundException)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startServer(t, tt.opts)
			before := time.Now()
			out, err := newClient(s, "AKIDTEST", "secret").GetAuthorizationToken(testContext(t), &tt.in)
			if tt.wantErr != nil {
				if !errors.As(err, tt.wantErr) {
					t.Fatalf("error = %v (%T), want %T", err, err, tt.wantErr)
				}
				if len(s.IssuedTokens()) != 0 {
					t.Errorf("a failed call issued a token")
				}
				return
			}
			if err != nil {
				t.Fatalf("GetAuthorizationToken: %v", err)
			}
			tok := aws.ToString(out.AuthorizationToken)
			if len(tok) < 1100 || len(tok) > 1600 || !tokenChars.MatchString(tok) {
				t.Errorf("token has length %d or odd characters; want 1100..1600 base64url/dot characters", len(tok))
			}
			if !s.ValidToken(tok) || !slices.Equal(s.IssuedTokens(), []string{tok}) {
				t.Errorf("token not remembered as issued and valid")
			}
			exp := aws.ToTime(out.Expiration)
			if low, high := before.Add(tt.lifetime-time.Second), time.Now().Add(tt.lifetime+time.Second); exp.Before(low) || exp.After(high) {
				t.Errorf("expiration %v, want %v after the call", exp, tt.lifetime)
			}
		})
	}
}

func input(domain, owner string, duration *int64) codeartifact.GetAuthorizationTokenInput {
	in := codeartifact.GetAuthorizationTokenInput{Domain: aws.String(domain), DurationSeconds: duration}
	if owner != "" {
		in.DomainOwner = aws.String(owner)
	}
	return in
}

func TestTokensAreUnique(t *testing.T) {
	s := startServer(t, Options{})
	a, b := getToken(t, s), getToken(t, s)
	if a == b {
		t.Fatal("two calls returned the same token")
	}
	if s.TokenCalls() != 2 {
		t.Errorf("TokenCalls = %d, want 2", s.TokenCalls())
	}
}

func TestGetRepositoryEndpoint(t *testing.T) {
	tests := []struct {
		name, repo, format string
		want               string // path after the base URL
		wantErr            any
	}{
		{name: "maven", repo: "releases", format: "maven", want: "/maven/releases/"},
		{name: "npm", repo: "npm-store", format: "npm", want: "/npm/npm-store/"},
		{name: "pypi", repo: "py.pi_1", format: "pypi", want: "/pypi/py.pi_1/"},
		{name: "cargo", repo: "crates", format: "cargo", want: "/cargo/crates/"},
		{name: "unknown format", repo: "releases", format: "rubygems", wantErr: new(*types.ValidationException)},
		{name: "short repo", repo: "r", format: "maven", wantErr: new(*types.ValidationException)},
		{name: "missing repo", repo: "missing", format: "maven", wantErr: new(*types.ResourceNotFoundException)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startServer(t, Options{})
			out, err := newClient(s, "AKIDTEST", "secret").GetRepositoryEndpoint(testContext(t), &codeartifact.GetRepositoryEndpointInput{
				Domain: aws.String("demo"), Repository: aws.String(tt.repo), Format: types.PackageFormat(tt.format),
			})
			if tt.wantErr != nil {
				if !errors.As(err, tt.wantErr) {
					t.Fatalf("error = %v (%T), want %T", err, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("GetRepositoryEndpoint: %v", err)
			}
			if got := aws.ToString(out.RepositoryEndpoint); got != s.URL()+tt.want {
				t.Errorf("endpoint = %q, want %q", got, s.URL()+tt.want)
			}
			if s.Calls(OpGetRepositoryEndpoint) != 1 || s.TokenCalls() != 0 {
				t.Errorf("calls: endpoint %d, token %d; want 1, 0", s.Calls(OpGetRepositoryEndpoint), s.TokenCalls())
			}
		})
	}
}
