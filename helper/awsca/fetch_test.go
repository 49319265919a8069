package awsca

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codeartifact"

	"github.com/ca-helper/ca-helper/helper/failure"
)

// fakeAPI is the CodeArtifact API with canned answers; it records the inputs.
type fakeAPI struct {
	tokenIn    *codeartifact.GetAuthorizationTokenInput
	endpointIn *codeartifact.GetRepositoryEndpointInput
	tokenOut   *codeartifact.GetAuthorizationTokenOutput
	err        error
}

func (f *fakeAPI) GetAuthorizationToken(_ context.Context, in *codeartifact.GetAuthorizationTokenInput, _ ...func(*codeartifact.Options)) (*codeartifact.GetAuthorizationTokenOutput, error) {
	f.tokenIn = in
	return f.tokenOut, f.err
}

func (f *fakeAPI) GetRepositoryEndpoint(_ context.Context, in *codeartifact.GetRepositoryEndpointInput, _ ...func(*codeartifact.Options)) (*codeartifact.GetRepositoryEndpointOutput, error) {
	f.endpointIn = in
	if f.err != nil {
		return nil, f.err
	}
	return &codeartifact.GetRepositoryEndpointOutput{RepositoryEndpoint: aws.String("https://example/maven/r1/")}, nil
}

func clientFor(f *fakeAPI) *Client {
	return &Client{newAPI: func(context.Context, Request) (api, error) { return f, nil }}
}

func TestClientToken(t *testing.T) {
	exp := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		req       Request
		wantOwner *string
		wantSecs  int64
	}{
		{"with owner", Request{Domain: "d1", Owner: "111122223333", Duration: 12 * time.Hour}, aws.String("111122223333"), 43200},
		{"own account", Request{Domain: "d1", Duration: 15 * time.Minute}, nil, 900},
		{"session duration", Request{Domain: "d1"}, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeAPI{tokenOut: &codeartifact.GetAuthorizationTokenOutput{AuthorizationToken: aws.String("tok"), Expiration: &exp}}
			tok, err := clientFor(f).Token(context.Background(), tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if tok.Value != "tok" || !tok.Expiration.Equal(exp) {
				t.Errorf("Token = %+v", tok)
			}
			in := f.tokenIn
			if aws.ToString(in.Domain) != "d1" || aws.ToInt64(in.DurationSeconds) != tt.wantSecs || (in.DomainOwner == nil) != (tt.wantOwner == nil) ||
				aws.ToString(in.DomainOwner) != aws.ToString(tt.wantOwner) {
				t.Errorf("input domain %q, owner %v, seconds %d", aws.ToString(in.Domain), in.DomainOwner, aws.ToInt64(in.DurationSeconds))
			}
		})
	}
}

func TestClientErrorsAreClassified(t *testing.T) {
	f := &fakeAPI{err: apiErr("AccessDeniedException", "denied")}
	_, err := clientFor(f).Token(context.Background(), testRequest)
	var e *Error
	if !errors.As(err, &e) || e.ExitCode() != failure.Auth {
		t.Errorf("Token error = %v, want an access denied *Error", err)
	}
	_, err = clientFor(f).Endpoint(context.Background(), testRequest, "r1", "maven")
	if !errors.As(err, &e) || e.ExitCode() != failure.Auth {
		t.Errorf("Endpoint error = %v, want an access denied *Error", err)
	}
}

func TestClientEndpoint(t *testing.T) {
	f := &fakeAPI{}
	got, err := clientFor(f).Endpoint(context.Background(), Request{Domain: "d1", Owner: "111122223333"}, "r1", "maven")
	if err != nil || got != "https://example/maven/r1/" {
		t.Fatalf("Endpoint = %q, %v", got, err)
	}
	in := f.endpointIn
	if aws.ToString(in.Repository) != "r1" || string(in.Format) != "maven" || aws.ToString(in.DomainOwner) != "111122223333" || in.EndpointType != "" {
		t.Errorf("input = %+v", in)
	}
	if _, err := clientFor(f).Endpoint(context.Background(), Request{Domain: "d1", EndpointType: "dualstack"}, "r1", "npm"); err != nil {
		t.Fatal(err)
	}
	if in := f.endpointIn; in.EndpointType != "dualstack" || string(in.Format) != "npm" {
		t.Errorf("endpoint type and format not passed on: %+v", in)
	}
}

// With no credential source at all, the real SDK must end in exit code 3
// ("no credentials"), before any request leaves the machine.
func TestRealSDKWithoutCredentials(t *testing.T) {
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
		"AWS_DEFAULT_PROFILE": "", "AWS_ROLE_ARN": "", "AWS_WEB_IDENTITY_TOKEN_FILE": "",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI": "", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "",
		"AWS_CONFIG_FILE": filepath.Join(dir, "config"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
	} {
		t.Setenv(k, v)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := New().Token(ctx, Request{Domain: "d1", Region: "eu-west-1", Duration: time.Hour})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("Token error = %v (%T), want *Error", err, err)
	}
	if e.ExitCode() != failure.Auth || e.Reason != "no credentials" {
		t.Errorf("exit %d, reason %q, want %d, \"no credentials\" (error: %v)", e.ExitCode(), e.Reason, failure.Auth, err)
	}
}
