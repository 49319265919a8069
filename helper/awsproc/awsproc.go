// Package awsproc is the boundary between ca-helper and the AWS SDK. The SDK and
// its package initialisers cost more than everything else a cached `get` does, so
// they live in a second binary, ca-helper-aws, that ca-helper runs only when it
// must talk to AWS. This package holds the request and answer types and the
// client that runs that binary; it imports nothing from the SDK.
package awsproc

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/keyring"
)

// Operations ca-helper-aws performs.
const (
	OpToken    = "token"    // GetAuthorizationToken
	OpEndpoint = "endpoint" // GetRepositoryEndpoint
	OpAccount  = "account"  // STS GetCallerIdentity: the caller's account
	OpDoctor   = "doctor"   // the checks of `ca-helper doctor` (DoctorRequest, DoctorAnswer)
)

// Request names the operation, the domain and the AWS identity to ask as.
type Request struct {
	Op         string        `json:"op"`
	Domain     string        `json:"domain"`
	Owner      string        `json:"owner,omitempty"`
	Region     string        `json:"region,omitempty"`
	Profile    string        `json:"profile,omitempty"`
	Duration   time.Duration `json:"duration,omitempty"` // 0 = as long as the AWS session
	Repository string        `json:"repository,omitempty"`
	Format     string        `json:"format,omitempty"` // OpEndpoint: the package format
	// EndpointType is OpEndpoint's ipv4 or dualstack; "" is the service's
	// default (ipv4).
	EndpointType string          `json:"endpoint_type,omitempty"`
	Timeout      time.Duration   `json:"timeout,omitempty"`
	Doctor       json.RawMessage `json:"doctor,omitempty"` // OpDoctor: a DoctorRequest
	Debug        bool            `json:"debug,omitempty"`  // --debug: the SDK's log lines as debug lines on stderr
}

// MaxTokenLen is the longest token ca-helper accepts from the service; real
// ones are about 1.2 KB. ca-helper-aws refuses longer ones before answering,
// so a runaway response never crosses the process boundary.
const MaxTokenLen = 16 << 10

// UnexpectedHint is the hint for answers the service should never give.
const UnexpectedHint = "CodeArtifact answered something unexpected; retry, and report it if it persists"

// CheckTokenLen refuses a token longer than MaxTokenLen.
func CheckTokenLen(tok string) error {
	if len(tok) > MaxTokenLen {
		return fmt.Errorf("the service returned a token of %d bytes, over the %d limit", len(tok), MaxTokenLen)
	}
	return nil
}

// Token is what GetAuthorizationToken returned. Value prints as [redacted]:
// the token itself is handed out only by Reveal, where it belongs.
type Token struct {
	Value      keyring.Token
	Expiration time.Time
}

// Response is the single answer to a Request.
type Response struct {
	Token      string          `json:"token,omitempty"`
	Expiration time.Time       `json:"expiration,omitzero"`
	Endpoint   string          `json:"endpoint,omitempty"`
	Account    string          `json:"account,omitempty"` // OpAccount
	Doctor     json.RawMessage `json:"doctor,omitempty"`  // OpDoctor: a DoctorAnswer
	Error      *Error          `json:"error,omitempty"`
}

// Error is a classified failure: exit code, short reason, message and hint.
type Error struct {
	Code     int    `json:"code"`
	Reason   string `json:"reason"`
	Message  string `json:"message"`
	HintText string `json:"hint,omitempty"`
}

func (e *Error) Error() string { return e.Message }

// ExitCode and Hint let the CLI classify the error.
func (e *Error) ExitCode() int { return e.Code }
func (e *Error) Hint() string  { return e.HintText }

// protocolHint is the hint for an answer ca-helper-aws should never give.
const protocolHint = "reinstall ca-helper with ./install.sh so ca-helper and ca-helper-aws match"

// fromChild makes an error answered by ca-helper-aws fit to exit with. That
// process is another program (an older or a foreign build may sit on PATH),
// so its code is not trusted: an error with code 0 would let a failed get
// look like success, and an unknown code would reach scripts as a code
// ca-helper never documents. Anything but 1, 2 or 3 becomes 1; an error
// without a message or a hint gets one, so stderr keeps its two lines.
func (e *Error) fromChild() *Error {
	c := *e
	odd := failure.Known(c.Code) != c.Code || strings.TrimSpace(c.Message) == ""
	c.Code = failure.Known(c.Code)
	if strings.TrimSpace(c.Message) == "" {
		c.Message = BinaryName + " reported an error without a message"
	}
	switch {
	case c.HintText != "":
	case odd:
		c.HintText = protocolHint
	default:
		c.HintText = "to find the cause, run `ca-helper doctor`"
	}
	return &c
}

func protocolError(format string, args ...any) *Error {
	return &Error{Code: failure.Runtime, Reason: "internal", Message: fmt.Sprintf(format, args...), HintText: protocolHint}
}
