package awsca

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/smithy-go"
)

var testRequest = Request{Domain: "my-domain", Owner: "111122223333", Region: "eu-west-1", Profile: "dev"}

func apiErr(code, msg string) error {
	return &smithy.OperationError{ServiceID: "codeartifact", OperationName: "GetAuthorizationToken",
		Err: &smithy.GenericAPIError{Code: code, Message: msg}}
}

func TestClassify(t *testing.T) {
	t.Setenv("AWS_ENDPOINT_URL_CODEARTIFACT", "") // no override: the hints about the region apply
	t.Setenv("AWS_ENDPOINT_URL", "")
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}
	tests := []struct {
		name    string
		err     error
		req     Request
		code    int
		reason  string
		hint    []string // the hint must mention each
		inError []string // Error() must contain each
	}{
		{"access denied", apiErr("AccessDeniedException", "User: arn:aws:iam::111122223333:user/x is not authorized"), testRequest, 3, "access denied",
			[]string{"codeartifact:GetAuthorizationToken", "sts:GetServiceBearerToken", "arn:aws:codeartifact:eu-west-1:111122223333:domain/my-domain"},
			[]string{"access denied", "is not authorized"}},
		{"access denied without owner or region", apiErr("AccessDeniedException", "no"), Request{Domain: "d1"}, 3, "access denied",
			[]string{"arn:aws:codeartifact:REGION:OWNER:domain/d1"}, nil},
		{"expired token", apiErr("ExpiredTokenException", "The security token included in the request is expired"), testRequest, 3, "credentials expired",
			[]string{"refresh", "aws sso login"}, []string{"expired"}},
		{"unrecognized client", apiErr("UnrecognizedClientException", "The security token included in the request is invalid."), testRequest, 3, "credentials not recognised",
			[]string{"AWS_ACCESS_KEY_ID"}, nil},
		{"signature mismatch", apiErr("InvalidSignatureException", "sig"), testRequest, 3, "bad signature", []string{"clock"}, nil},
		{"resource not found", apiErr("ResourceNotFoundException", "Domain not found"), testRequest, 1, "not found",
			[]string{"--domain my-domain", "--region"}, []string{"Domain not found"}},
		{"validation", apiErr("ValidationException", "1 validation error detected"), testRequest, 2, "rejected", []string{"duration"}, nil},
		{"throttling", apiErr("ThrottlingException", "Rate exceeded"), testRequest, 1, "throttled", []string{"retry"}, nil},
		{"internal server", apiErr("InternalServerException", ""), testRequest, 1, "service error", []string{"retry later"}, []string{"InternalServerException"}},
		{"bare API error", &smithy.GenericAPIError{Code: "AccessDenied", Message: "denied"}, testRequest, 3, "access denied", nil, nil},
		{"signing error", &v4.SigningError{Err: errors.New("failed to retrieve credentials: no providers")}, testRequest, 3, "no credentials",
			[]string{"AWS_PROFILE", "aws sso login"}, nil},
		{"sso expired", &ssocreds.InvalidTokenError{}, testRequest, 3, "SSO session expired", []string{"aws sso login --profile dev"}, nil},
		{"sso expired inside signing", &v4.SigningError{Err: fmt.Errorf("failed to retrieve credentials: %w", &ssocreds.InvalidTokenError{Err: errors.New("token file missing")})},
			Request{Domain: "d1"}, 3, "SSO session expired", []string{"aws sso login --profile default"}, nil},
		{"deadline", fmt.Errorf("operation error: %w", context.DeadlineExceeded), testRequest, 1, "timeout", []string{"--timeout"}, []string{"no answer before the deadline"}},
		{"dial refused", &smithy.OperationError{ServiceID: "codeartifact", Err: dial}, testRequest, 1, "network", []string{"eu-west-1"}, []string{"connection refused"}},
		{"dns", &net.DNSError{Err: "no such host", Name: "codeartifact.eu-west-1.amazonaws.com"}, testRequest, 1, "network", []string{"region eu-west-1"}, nil},
		{"network without region", dial, Request{Domain: "d1"}, 1, "network", []string{"REGION"}, nil},
		{"missing region", &aws.MissingRegionError{}, testRequest, 2, "no region", []string{"--region", "AWS_REGION"}, []string{"no AWS region"}},
		{"bad json", &smithy.OperationError{ServiceID: "codeartifact", Err: &smithy.DeserializationError{Err: errors.New("unterminated string"), Snapshot: []byte(`{"authorizationToken":"secret-tok`)}},
			testRequest, 1, "unexpected answer", []string{"retry"}, []string{"not valid JSON"}},
		{"unknown", errors.New("something odd"), testRequest, 1, "failed", []string{"ca-helper doctor"}, []string{"something odd"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := classify("get authorization token for domain "+tt.req.Domain, tt.err, tt.req)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("classify returned %T, want *Error", err)
			}
			if e.ExitCode() != tt.code || e.Code != tt.code || e.Reason != tt.reason {
				t.Errorf("code, reason = %d, %q; want %d, %q", e.ExitCode(), e.Reason, tt.code, tt.reason)
			}
			if e.Hint() == "" {
				t.Error("no hint")
			}
			for _, h := range tt.hint {
				if !strings.Contains(e.Hint(), h) {
					t.Errorf("hint %q does not mention %q", e.Hint(), h)
				}
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "get authorization token for domain "+tt.req.Domain+": ") || strings.ContainsAny(msg, "\n\r") {
				t.Errorf("Error() = %q, want one line starting with the operation", msg)
			}
			if strings.Contains(msg, "secret-tok") {
				t.Errorf("Error() = %q quotes the answer body", msg)
			}
			for _, s := range tt.inError {
				if !strings.Contains(msg, s) {
					t.Errorf("Error() = %q does not contain %q", msg, s)
				}
			}
			if tt.reason != "no region" && !errors.Is(err, tt.err) {
				t.Errorf("the classified error does not wrap the cause")
			}
		})
	}
}

func TestErrorIsOneLine(t *testing.T) {
	causes := []error{
		apiErr("AccessDeniedException", "User is not authorized\nto perform\tthis action\r\n"),
		apiErr("ValidationException", strings.Repeat("long message ", 50)),
		errors.New("first line\nsecond line"),
		&v4.SigningError{Err: errors.New("failed to retrieve credentials:\n  profile dev:\n  no sso session")},
		&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("refused\nby peer")},
	}
	for _, cause := range causes {
		msg := classify("get authorization token for domain d1", cause, testRequest).Error()
		if strings.ContainsAny(msg, "\n\r") {
			t.Errorf("Error() is not one line: %q", msg)
		}
		if len(msg) > maxDetail {
			t.Errorf("Error() is %d bytes", len(msg))
		}
	}
}

func TestCredentialsError(t *testing.T) {
	stsDenied := &smithy.OperationError{ServiceID: "STS", OperationName: "AssumeRole", Err: &smithy.GenericAPIError{
		Code: "AccessDenied", Message: "User: arn:aws:iam::111122223333:user/ci is not authorized to perform: sts:AssumeRole"}}
	tests := []struct {
		name    string
		err     error
		code    int
		reason  string
		inError string
		notHint string // the hint must not mention it
	}{
		{"no source", fmt.Errorf("failed to refresh cached credentials, %w", errors.New("no EC2 IMDS role found")), 3, "no credentials", "get AWS credentials: no credentials: profile dev has none", "IMDS"},
		{"source timed out", fmt.Errorf("failed to refresh cached credentials, %w", context.DeadlineExceeded), 3, "no credentials", "did not answer in time", ""},
		{"sso expired", &ssocreds.InvalidTokenError{}, 3, "SSO session expired", "get AWS credentials: SSO session expired", ""},
		{"expired session keys", &smithy.GenericAPIError{Code: "ExpiredToken", Message: "expired"}, 3, "credentials expired", "expired", ""},
		{"assume role denied", stsDenied, 3, "access denied", "sts:AssumeRole", "codeartifact:GetAuthorizationToken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e *Error
			if err := credentialsError(tt.err, testRequest); !errors.As(err, &e) {
				t.Fatalf("credentialsError returned %T", err)
			}
			if e.ExitCode() != tt.code || e.Reason != tt.reason || !strings.Contains(e.Error(), tt.inError) {
				t.Errorf("got %d %q %q; want %d %q, containing %q", e.ExitCode(), e.Reason, e.Error(), tt.code, tt.reason, tt.inError)
			}
			if tt.notHint != "" && strings.Contains(e.Hint(), tt.notHint) {
				t.Errorf("hint %q is about %s, not about getting credentials", e.Hint(), tt.notHint)
			}
		})
	}
}

// With nothing configured the SDK's chain ends at the instance role; the
// error and hint talk about profiles and SSO, not the metadata service.
func TestNoCredentialsAtAll(t *testing.T) {
	imdsOff := fmt.Errorf("failed to refresh cached credentials, no EC2 IMDS role found, %w",
		&smithy.OperationError{ServiceID: "ec2imds", OperationName: "GetMetadata", Err: errors.New(`access disabled to EC2 IMDS via client option, or "AWS_EC2_METADATA_DISABLED" environment variable`)})
	tests := []struct {
		name    string
		req     Request
		inError string
		inHint  []string
	}{
		{"no profile", Request{Domain: "d1"}, "get AWS credentials: no credentials: none found in the environment, the AWS config or credentials files, SSO",
			[]string{"`aws configure`", "`aws sso login --profile P`", "AWS_PROFILE=P"}},
		{"a profile without credentials", testRequest, "profile dev has none",
			[]string{"`aws configure --profile dev`", "`aws sso login --profile dev`", "AWS_PROFILE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e *Error
			if !errors.As(credentialsError(imdsOff, tt.req), &e) {
				t.Fatal("not an *Error")
			}
			if e.Code != 3 || !strings.Contains(e.Error(), tt.inError) || strings.Contains(e.Error()+e.Hint(), "IMDS") {
				t.Errorf("got %d %q, hint %q; want 3, containing %q, no word of IMDS", e.Code, e.Error(), e.Hint(), tt.inError)
			}
			for _, h := range append(tt.inHint, "run `ca-helper doctor`") {
				if !strings.Contains(e.Hint(), h) {
					t.Errorf("hint %q does not mention %q", e.Hint(), h)
				}
			}
		})
	}
}

// A network failure names the endpoint override when one is set, with its
// secrets redacted, instead of blaming the region.
func TestUnreachableOverride(t *testing.T) {
	dial := &smithy.OperationError{ServiceID: "codeartifact", Err: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}}
	tests := []struct {
		name, specific, general string
		want, notWant           []string
	}{
		{"none", "", "", []string{"check the network, proxy and --region", "eu-west-1"}, []string{"AWS_ENDPOINT_URL"}},
		{"service override", "http://u:pw@127.0.0.1:1/?sig=s3cret", "", []string{"at http://REDACTED@127.0.0.1:1/?sig=REDACTED, set by AWS_ENDPOINT_URL_CODEARTIFACT", "unset AWS_ENDPOINT_URL_CODEARTIFACT"}, []string{"pw", "s3cret", "--region"}},
		{"global override", "", "http://127.0.0.1:2", []string{"at http://127.0.0.1:2, set by AWS_ENDPOINT_URL", "unset AWS_ENDPOINT_URL"}, []string{"--region"}},
		{"the service's wins", "http://127.0.0.1:1", "http://127.0.0.1:2", []string{"127.0.0.1:1, set by AWS_ENDPOINT_URL_CODEARTIFACT"}, []string{"127.0.0.1:2"}},
		{"overrides ignored", "http://127.0.0.1:1", "", []string{"--region"}, []string{"AWS_ENDPOINT_URL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("AWS_ENDPOINT_URL_CODEARTIFACT", tt.specific)
			t.Setenv("AWS_ENDPOINT_URL", tt.general)
			ignore := ""
			if tt.name == "overrides ignored" {
				ignore = "true"
			}
			t.Setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", ignore)
			for _, err := range []error{dial, fmt.Errorf("op: %w", context.DeadlineExceeded)} {
				hint := classify("get authorization token for domain d1", err, testRequest).(*Error).Hint()
				if errors.Is(err, context.DeadlineExceeded) && (tt.specific == "" && tt.general == "" || ignore != "") {
					continue // the timeout's own advice
				}
				want := append(tt.want, "run `ca-helper doctor`")
				if errors.Is(err, context.DeadlineExceeded) {
					want = append(want, "raise --timeout")
				}
				for _, w := range want {
					if !strings.Contains(hint, w) {
						t.Errorf("%v: hint %q does not mention %q", err, hint, w)
					}
				}
				for _, w := range tt.notWant {
					if strings.Contains(hint, w) {
						t.Errorf("%v: hint %q mentions %q", err, hint, w)
					}
				}
			}
		})
	}
}

// doctor prints the fix without the pointer to itself; get prints both.
func TestFixLeavesOutDoctor(t *testing.T) {
	e := classify("get authorization token for domain d1", apiErr("AccessDeniedException", "no"), testRequest).(*Error)
	if !strings.HasSuffix(e.Hint(), "run `ca-helper doctor`") || strings.Contains(e.Fix(), "ca-helper doctor") ||
		!strings.HasPrefix(e.Hint(), e.Fix()) {
		t.Errorf("Hint %q, Fix %q; want the hint to end by pointing to doctor, the fix not to", e.Hint(), e.Fix())
	}
}
