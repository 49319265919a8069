package fake

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codeartifact"
)

func TestSignatureVerifiedWithSDKClient(t *testing.T) {
	tests := []struct {
		name                string
		akid, secret, token string
		want                string // "ok" or the error code
	}{
		{name: "right secret", akid: "AKIDTEST", secret: "secret", want: "ok"},
		{name: "session credentials", akid: "ASIATEST", secret: "s3cr3t/+=", token: "session-token", want: "ok"},
		{name: "wrong secret", akid: "AKIDTEST", secret: "wrong", want: "InvalidSignatureException"},
		{name: "unknown key", akid: "AKIDOTHER", secret: "secret", want: "UnrecognizedClientException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startServer(t, Options{Secrets: map[string]string{"AKIDTEST": "secret", "ASIATEST": "s3cr3t/+="}})
			c := newClient(s, tt.akid, tt.secret, func(o *codeartifact.Options) {
				o.Credentials = credentials.NewStaticCredentialsProvider(tt.akid, tt.secret, tt.token)
			})
			for _, op := range []string{OpGetAuthorizationToken, OpGetRepositoryEndpoint} {
				if got := callOp(t, c, op); got != tt.want {
					t.Errorf("%s: got %s, want %s", op, got, tt.want)
				}
			}
			for _, r := range s.Requests() {
				if r.AccessKeyID != tt.akid || r.Region != "us-east-1" {
					t.Errorf("logged caller %q in %q, want %q in us-east-1", r.AccessKeyID, r.Region, tt.akid)
				}
			}
		})
	}
}

// signed returns a request for the token API signed by the SDK's signer.
func signed(t *testing.T, s *Server, secret string, at time.Time, query string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL()+"/v1/authorization-token?"+query, nil)
	if err != nil {
		t.Fatal(err)
	}
	creds := aws.Credentials{AccessKeyID: "AKIDTEST", SecretAccessKey: secret}
	const emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, emptyHash, "codeartifact", "eu-west-1", at); err != nil {
		t.Fatal(err)
	}
	return req
}

func TestSignatureChecks(t *testing.T) {
	tests := []struct {
		name   string
		req    func(*testing.T, *Server) *http.Request
		status int
		code   string // X-Amzn-ErrorType, "" on success
	}{
		{name: "valid", status: 200, req: func(t *testing.T, s *Server) *http.Request {
			return signed(t, s, "secret", time.Now(), "domain=demo&duration=900&domain-owner=123456789012")
		}},
		{name: "odd query", status: 200, req: func(t *testing.T, s *Server) *http.Request {
			return signed(t, s, "secret", time.Now(), "domain=demo&z=2&z=1&z-a=%2F~&sp=a+b&st=*%21")
		}},
		{name: "query changed after signing", status: 403, code: "InvalidSignatureException", req: func(t *testing.T, s *Server) *http.Request {
			r := signed(t, s, "secret", time.Now(), "domain=demo&duration=900")
			r.URL.RawQuery = "domain=demo&duration=901"
			return r
		}},
		{name: "signed an hour ago", status: 403, code: "InvalidSignatureException", req: func(t *testing.T, s *Server) *http.Request {
			return signed(t, s, "secret", time.Now().Add(-time.Hour), "domain=demo")
		}},
		{name: "no authorization", status: 403, code: "MissingAuthenticationTokenException", req: func(t *testing.T, s *Server) *http.Request {
			r := signed(t, s, "secret", time.Now(), "domain=demo")
			r.Header.Del("Authorization")
			return r
		}},
		{name: "not sigv4", status: 403, code: "IncompleteSignatureException", req: func(t *testing.T, s *Server) *http.Request {
			r := signed(t, s, "secret", time.Now(), "domain=demo")
			r.Header.Set("Authorization", "Bearer abc")
			return r
		}},
		{name: "no signature", status: 403, code: "IncompleteSignatureException", req: func(t *testing.T, s *Server) *http.Request {
			r := signed(t, s, "secret", time.Now(), "domain=demo")
			h := r.Header.Get("Authorization")
			r.Header.Set("Authorization", h[:strings.Index(h, ", Signature=")])
			return r
		}},
		{name: "no date", status: 403, code: "IncompleteSignatureException", req: func(t *testing.T, s *Server) *http.Request {
			r := signed(t, s, "secret", time.Now(), "domain=demo")
			r.Header.Del("X-Amz-Date")
			return r
		}},
		{name: "other service", status: 403, code: "InvalidSignatureException", req: func(t *testing.T, s *Server) *http.Request {
			r := signed(t, s, "secret", time.Now(), "domain=demo")
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/codeartifact/", "/s3/", 1))
			return r
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startServer(t, Options{Secrets: map[string]string{"AKIDTEST": "secret"}})
			resp, err := http.DefaultClient.Do(tt.req(t, s))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatalf("decode body: %v", err)
			}
			if resp.StatusCode != tt.status || resp.Header.Get("X-Amzn-ErrorType") != tt.code {
				t.Fatalf("got %d %q (%v), want %d %q", resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), body, tt.status, tt.code)
			}
			if tt.code != "" && (body["message"] == "" || body["__type"] != tt.code) {
				t.Errorf("error body %v lacks message or __type", body)
			}
			if tt.code == "" && (body["authorizationToken"] == nil || s.Requests()[0].Region != "eu-west-1") {
				t.Errorf("body %v / request %+v: want a token and region eu-west-1", body, s.Requests()[0])
			}
		})
	}
}

func TestUnverifiedSignaturesStillNeedShape(t *testing.T) {
	s := startServer(t, Options{})
	// Without Secrets any secret passes, but the header is still checked.
	if _, err := newClient(s, "AKIDANY", "whatever").GetAuthorizationToken(testContext(t),
		&codeartifact.GetAuthorizationTokenInput{Domain: aws.String("demo")}); err != nil {
		t.Fatalf("unverified call failed: %v", err)
	}
	resp := do(t, http.MethodPost, s.URL()+"/v1/authorization-token?domain=demo", "", nil)
	if resp.StatusCode != 403 || resp.Header.Get("X-Amzn-ErrorType") != "MissingAuthenticationTokenException" {
		t.Errorf("unsigned call: %d %q", resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"))
	}
	if got := s.Requests()[0].AccessKeyID; got != "AKIDANY" {
		t.Errorf("AccessKeyID = %q, want AKIDANY", got)
	}
}

func TestParseAuthorization(t *testing.T) {
	const sig = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	tests := []struct {
		header  string
		wantErr bool
	}{
		{"AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/codeartifact/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + sig, false},
		{"AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/codeartifact/aws4_request,SignedHeaders=host,Signature=" + sig, false},
		{"AWS4-HMAC-SHA256 Credential=AKID/2024012/us-east-1/codeartifact/aws4_request, SignedHeaders=host, Signature=" + sig, true},
		{"AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/codeartifact, SignedHeaders=host, Signature=" + sig, true},
		{"AWS4-HMAC-SHA256 Credential=/20240102/us-east-1/codeartifact/aws4_request, SignedHeaders=host, Signature=" + sig, true},
		{"AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/codeartifact/aws4_request, SignedHeaders=x-amz-date, Signature=" + sig, true},
		{"AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/codeartifact/aws4_request, SignedHeaders=host, Signature=xyz", true},
		{"AWS4-HMAC-SHA1 Credential=AKID/20240102/us-east-1/codeartifact/aws4_request, SignedHeaders=host, Signature=" + sig, true},
		{"", true},
	}
	for _, tt := range tests {
		a, err := parseAuthorization(tt.header)
		if (err != nil) != tt.wantErr {
			t.Errorf("parseAuthorization(%q) error = %v, want error %v", tt.header, err, tt.wantErr)
		}
		if err == nil && (a.accessKeyID != "AKID" || a.service != "codeartifact" || a.region != "us-east-1") {
			t.Errorf("parseAuthorization(%q) = %+v", tt.header, a)
		}
	}
}

func FuzzParseAuthorization(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=AKID/20240102/us-east-1/codeartifact/aws4_request, SignedHeaders=host, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
	f.Add("AWS4-HMAC-SHA256 ,,==")
	f.Fuzz(func(t *testing.T, h string) {
		a, err := parseAuthorization(h)
		if err == nil && (a.accessKeyID == "" || a.region == "" || len(a.signature) != 64 || len(a.date) != 8) {
			t.Errorf("accepted %q as %+v", h, a)
		}
	})
}
