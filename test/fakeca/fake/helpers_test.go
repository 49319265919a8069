package fake

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codeartifact"
)

// startServer starts a fake that the test closes when it ends.
func startServer(t *testing.T, opts Options) *Server {
	t.Helper()
	s := New(opts)
	if _, err := s.Start(); err != nil {
		t.Fatalf("start fake: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// newClient is the real SDK client pointed at s, without retries unless an
// option brings them back.
func newClient(s *Server, akid, secret string, optFns ...func(*codeartifact.Options)) *codeartifact.Client {
	cfg := aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider(akid, secret, ""),
		BaseEndpoint: aws.String(s.URL()),
	}
	noRetry := func(o *codeartifact.Options) { o.Retryer = aws.NopRetryer{} }
	return codeartifact.NewFromConfig(cfg, append([]func(*codeartifact.Options){noRetry}, optFns...)...)
}

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// getToken asks s for a token for domain "demo" and fails the test on error.
func getToken(t *testing.T, s *Server) string {
	t.Helper()
	out, err := newClient(s, "AKIDTEST", "secret").GetAuthorizationToken(testContext(t), &codeartifact.GetAuthorizationTokenInput{
		Domain: aws.String("demo"),
	})
	if err != nil {
		t.Fatalf("GetAuthorizationToken: %v", err)
	}
	return aws.ToString(out.AuthorizationToken)
}

// do sends a request to s and returns the response, closed by the test's end.
func do(t *testing.T, method, url string, body string, auth func(*http.Request)) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(testContext(t), method, url, strings.NewReader(body))
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	if auth != nil {
		auth(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func basic(user, pass string) func(*http.Request) {
	return func(r *http.Request) { r.SetBasicAuth(user, pass) }
}

func bearer(tok string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }
}
