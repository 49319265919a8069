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
		if len(msg) > 400 {
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
		{"no source", fmt.Errorf("failed to refresh cached credentials, %w", errors.New("no EC2 IMDS role found")), 3, "no credentials", "get AWS credentials: no credentials: no EC2 IMDS role found", ""},
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
