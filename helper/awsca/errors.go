package awsca

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/ca-helper/ca-helper/helper/awsproc"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/safetext"
)

// Error is a failure the CLI can explain: an exit code, a short cause and a hint.
type Error struct {
	Code   int
	Reason string // short cause, e.g. "access denied"
	hint   string
	err    error
	op     string // what was being done, e.g. "get authorization token for domain d"
	detail string // the service's own message, when it sent one
}

func (e *Error) Error() string {
	cause := e.detail
	if cause == "" && e.err != nil {
		cause = e.err.Error()
	}
	if e.op != "" {
		cause = fmt.Sprintf("%s: %s: %s", e.op, e.Reason, cause)
	}
	return shortLine(cause)
}
func (e *Error) Unwrap() error { return e.err }

// ExitCode and Hint let the CLI classify the error without importing this package.
func (e *Error) ExitCode() int { return e.Code }
func (e *Error) Hint() string  { return e.hint }

// classify maps SDK failures to the causes users actually hit.
func classify(op string, err error, r Request) error {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		e := classifyAPI(err, apiErr, r)
		e.op, e.detail = op, shortLine(apiErr.ErrorMessage())
		if e.detail == "" {
			e.detail = apiErr.ErrorCode()
		}
		return e
	}
	e := classifyOther(err, r)
	e.op = op
	var opErr *net.OpError
	switch {
	case errors.As(err, &opErr): // first: a reset while reading is no bad JSON
		e.detail = opErr.Error()
	case isType[*smithy.DeserializationError](err):
		e.detail = "the answer is not valid JSON"
	case errors.Is(err, context.DeadlineExceeded):
		e.detail = "no answer before the deadline"
	}
	return e
}

func classifyOther(err error, r Request) *Error {
	var sso *ssocreds.InvalidTokenError
	switch {
	case errors.As(err, &sso):
		return mk(failure.Auth, "SSO session expired", doctorHint(fmt.Sprintf("run `aws sso login --profile %s`", orDefault(r.Profile))), err)
	case isType[*v4.SigningError](err):
		return mk(failure.Auth, "no credentials", noCredentialsHint(r), err)
	case isType[*aws.MissingRegionError](err):
		return mk(failure.Usage, "no region", "pass --region, set AWS_REGION, or set region in the AWS profile", errors.New("no AWS region configured"))
	case errors.Is(err, context.DeadlineExceeded):
		return mk(failure.Runtime, "timeout", timeoutHint(), err)
	case isType[*net.OpError](err) || isType[*net.DNSError](err) || isType[*smithyhttp.RequestSendError](err):
		return mk(failure.Runtime, "network", networkHint(r), err)
	case isType[*smithy.DeserializationError](err):
		// The body may hold a token: name the fault, never quote the answer.
		return mk(failure.Runtime, "unexpected answer", awsproc.UnexpectedHint, err)
	}
	return mk(failure.Runtime, "failed", "to find the cause, run `ca-helper doctor`", err)
}

// doctorHint ends hint with the pointer to `ca-helper doctor`, which checks
// credentials, permissions, the network and endpoints one by one.
func doctorHint(hint string) string {
	return hint + doctorPointer
}

const doctorPointer = "; to find out more, run `ca-helper doctor`"

// Fix is the hint without the pointer to `ca-helper doctor`: what doctor
// itself prints as the fix.
func (e *Error) Fix() string { return strings.TrimSuffix(e.hint, doctorPointer) }

// noCredentialsHint says how to give the SDK credentials: a profile with
// keys or SSO, chosen with --profile or AWS_PROFILE.
func noCredentialsHint(r Request) string {
	if r.Profile != "" {
		p := r.Profile
		return doctorHint(fmt.Sprintf("configure AWS credentials for profile %s: `aws configure --profile %s` for access keys, or `aws sso login --profile %s` for SSO; or choose another profile with --profile or AWS_PROFILE", p, p, p))
	}
	return doctorHint("configure AWS credentials: `aws configure` for access keys, or `aws sso login --profile P` for SSO and then --profile P or AWS_PROFILE=P")
}

// networkHint says what to check when CodeArtifact cannot be reached: the
// endpoint override when one sends the calls elsewhere (a dead override is
// no region problem), else the network and the region.
func networkHint(r Request) string {
	if name, url := endpointOverride(); name != "" {
		return doctorHint(fmt.Sprintf("cannot reach CodeArtifact at %s, set by %s: fix or unset %s", safetext.URL(url), name, name))
	}
	return doctorHint(fmt.Sprintf("cannot reach CodeArtifact in region %s: check the network, proxy and --region", or(r.Region, "REGION")))
}

// timeoutHint is networkHint for an endpoint that did not answer in time.
func timeoutHint() string {
	if name, url := endpointOverride(); name != "" {
		return doctorHint(fmt.Sprintf("CodeArtifact at %s, set by %s, did not answer in time: check it (or unset %s) and the network, or raise --timeout", safetext.URL(url), name, name))
	}
	return doctorHint("check the network or proxy to CodeArtifact, or raise --timeout")
}

// endpointOverride is the variable that sets where CodeArtifact calls go,
// and its value; "" when none is set.
func endpointOverride() (name, url string) {
	if strings.EqualFold(os.Getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true") {
		return "", "" // the SDK ignores them
	}
	for _, v := range []string{"AWS_ENDPOINT_URL_CODEARTIFACT", "AWS_ENDPOINT_URL"} {
		if u := os.Getenv(v); u != "" {
			return v, u
		}
	}
	return "", ""
}

// credentialsError explains a failure of the SDK's credential chain.
func credentialsError(err error, r Request) error {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) && (apiErr.ErrorCode() == "AccessDenied" || apiErr.ErrorCode() == "AccessDeniedException") {
		e := mk(failure.Auth, "access denied", doctorHint("the credential source refused: check that the profile's role_arn may be assumed (sts:AssumeRole in its trust policy) and the source credentials"), err)
		e.op, e.detail = "get AWS credentials", shortLine(apiErr.ErrorMessage())
		return e
	}
	if errors.As(err, &apiErr) || isType[*ssocreds.InvalidTokenError](err) {
		return classify("get AWS credentials", err, r)
	}
	detail := strings.TrimPrefix(err.Error(), "failed to refresh cached credentials, ")
	e := mk(failure.Auth, "no credentials", noCredentialsHint(r), err)
	e.op, e.detail = "get AWS credentials", shortLine(detail)
	switch {
	case lastResort(err):
		// The SDK tried the instance role last because nothing else was
		// configured; its complaint about the metadata service (disabled,
		// silent, or without a role) would send a laptop user looking for
		// an EC2 problem.
		e.detail = "none found in the environment, the AWS config or credentials files, SSO, or an instance or task role"
		if r.Profile != "" {
			e.detail = fmt.Sprintf("profile %s has none, and there is no instance or task role", r.Profile)
		}
	case errors.Is(err, context.DeadlineExceeded):
		e.detail = "the credential source did not answer in time"
	}
	return e
}

// lastResort reports whether err is the EC2 instance role's failure: what
// the SDK's chain ends with when no other source is configured.
func lastResort(err error) bool {
	var op *smithy.OperationError
	return (errors.As(err, &op) && op.ServiceID == "ec2imds") || strings.Contains(err.Error(), "EC2 IMDS")
}

func classifyAPI(msg error, apiErr smithy.APIError, r Request) *Error {
	switch apiErr.ErrorCode() {
	case "AccessDeniedException", "AccessDenied":
		return mk(failure.Auth, "access denied",
			doctorHint(fmt.Sprintf("allow codeartifact:GetAuthorizationToken on arn:aws:codeartifact:%s:%s:domain/%s and sts:GetServiceBearerToken (condition sts:AWSServiceName = codeartifact.amazonaws.com); `ca-helper policy` prints one",
				or(r.Region, "REGION"), or(r.Owner, "OWNER"), r.Domain)), msg)
	case "ExpiredTokenException", "ExpiredToken", "RequestExpired":
		return mk(failure.Auth, "credentials expired", doctorHint("refresh your AWS credentials (aws sso login, new session keys, or re-assume the role)"), msg)
	case "UnrecognizedClientException", "InvalidClientTokenId", "MissingAuthenticationTokenException", "IncompleteSignatureException":
		return mk(failure.Auth, "credentials not recognised", doctorHint("check AWS_ACCESS_KEY_ID / the profile's keys; they are not valid for this account"), msg)
	case "InvalidSignatureException", "SignatureDoesNotMatch":
		return mk(failure.Auth, "bad signature", doctorHint("check the secret access key, and that the system clock is right"), msg)
	case "ResourceNotFoundException":
		return mk(failure.Runtime, "not found", doctorHint(fmt.Sprintf("check --domain %s and --domain-owner (the account that owns the domain) and --region", r.Domain)), msg)
	case "ValidationException":
		return mk(failure.Usage, "rejected", "check the domain, owner, repository and duration", msg)
	case "ThrottlingException", "TooManyRequestsException":
		return mk(failure.Runtime, "throttled", "CodeArtifact is throttling this account; retry shortly (cached tokens avoid this)", msg)
	}
	return mk(failure.Runtime, "service error", "CodeArtifact failed; retry later, or run `ca-helper doctor`", msg)
}

// shortLine keeps a service message to one line (failure.OneLine) of at most
// maxDetail bytes, shortened in the middle of its long words, never cut off
// at the end.
func shortLine(s string) string {
	return safetext.Shorten(failure.OneLine(s), maxDetail)
}

// maxDetail bounds an error's text: an AccessDenied message naming an SSO
// role's session and the resource ARN fits whole, with the operation.
const maxDetail = 512

func mk(code int, reason, hint string, err error) *Error {
	return &Error{Code: code, Reason: reason, hint: hint, err: err}
}

func isType[T error](err error) bool {
	var t T
	return errors.As(err, &t)
}

func orDefault(profile string) string {
	if profile == "" {
		return "default"
	}
	return profile
}

func or(s, placeholder string) string {
	if s == "" {
		return placeholder
	}
	return s
}
