package fake

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/codeartifact"
	"github.com/aws/aws-sdk-go-v2/service/codeartifact/types"
	"github.com/aws/smithy-go"
)

// apiCode checks that err is the SDK's API error with code.
func apiCode(code string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var apiErr smithy.APIError
		if !errors.As(err, &apiErr) || apiErr.ErrorCode() != code {
			t.Fatalf("error = %v (%T), want API error %s", err, err, code)
		}
	}
}

// errorAs checks that err unwraps to the SDK error type of target.
func errorAs[E error](t *testing.T, err error) E {
	t.Helper()
	var target E
	if !errors.As(err, &target) {
		t.Fatalf("error = %v (%T), want %T", err, err, target)
	}
	return target
}

func TestFaultsThroughSDK(t *testing.T) {
	type result struct {
		out *codeartifact.GetAuthorizationTokenOutput
		err error
		s   *Server
	}
	noErr := func(t *testing.T, r result) {
		t.Helper()
		if r.err != nil {
			t.Fatalf("GetAuthorizationToken: %v", r.err)
		}
	}
	tests := []struct {
		fault Fault
		check func(*testing.T, result)
	}{
		{Fault{Kind: AccessDenied}, func(t *testing.T, r result) { errorAs[*types.AccessDeniedException](t, r.err) }},
		{Fault{Kind: NotFound}, func(t *testing.T, r result) { errorAs[*types.ResourceNotFoundException](t, r.err) }},
		{Fault{Kind: Validation}, func(t *testing.T, r result) { errorAs[*types.ValidationException](t, r.err) }},
		{Fault{Kind: ServerError}, func(t *testing.T, r result) { errorAs[*types.InternalServerException](t, r.err) }},
		{Fault{Kind: Throttle, RetryAfter: "7"}, func(t *testing.T, r result) {
			e := errorAs[*types.ThrottlingException](t, r.err)
			if aws.ToInt32(e.RetryAfterSeconds) != 7 {
				t.Errorf("RetryAfterSeconds = %v, want 7", e.RetryAfterSeconds)
			}
		}},
		{Fault{Kind: ExpiredToken}, func(t *testing.T, r result) { apiCode("ExpiredTokenException")(t, r.err) }},
		{Fault{Kind: Unrecognized}, func(t *testing.T, r result) { apiCode("UnrecognizedClientException")(t, r.err) }},
		{Fault{Kind: BadJSON}, func(t *testing.T, r result) { errorAs[*smithy.DeserializationError](t, r.err) }},
		{Fault{Kind: MissingToken}, func(t *testing.T, r result) {
			noErr(t, r)
			if r.out.AuthorizationToken != nil || r.out.Expiration == nil {
				t.Errorf("want expiration and no token, got token %v", r.out.AuthorizationToken != nil)
			}
		}},
		{Fault{Kind: HugeBody}, func(t *testing.T, r result) {
			noErr(t, r)
			if n := len(aws.ToString(r.out.AuthorizationToken)); n != 10<<20 {
				t.Errorf("token length %d, want 10 MiB", n)
			}
		}},
		{Fault{Kind: PastExpiration}, func(t *testing.T, r result) {
			noErr(t, r)
			if !aws.ToTime(r.out.Expiration).Before(time.Now()) || r.s.ValidToken(aws.ToString(r.out.AuthorizationToken)) {
				t.Errorf("want a token that expired already, expiration %v", r.out.Expiration)
			}
		}},
		{Fault{Kind: FarExpiration}, func(t *testing.T, r result) {
			noErr(t, r)
			if !aws.ToTime(r.out.Expiration).After(time.Now().AddDate(99, 0, 0)) {
				t.Errorf("expiration %v, want 100 years ahead", r.out.Expiration)
			}
		}},
		{Fault{Kind: ShortLived, Delay: 10 * time.Minute}, func(t *testing.T, r result) {
			noErr(t, r)
			if d := time.Until(aws.ToTime(r.out.Expiration)); d < 9*time.Minute || d > 10*time.Minute {
				t.Errorf("token lives %v, want 10m", d)
			}
		}},
		{Fault{Kind: ControlCharToken}, func(t *testing.T, r result) {
			noErr(t, r)
			if tok := aws.ToString(r.out.AuthorizationToken); !strings.Contains(tok, "\n") || !strings.Contains(tok, "\x01") {
				t.Errorf("token lacks control characters")
			}
		}},
		{Fault{Kind: Slow, Delay: 100 * time.Millisecond}, noErr},
		{Fault{Kind: BigToken}, func(t *testing.T, r result) {
			noErr(t, r)
			tok := aws.ToString(r.out.AuthorizationToken)
			if len(tok) != bigTokenLen || !r.s.ValidToken(tok) || strings.Trim(tok, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") != "" {
				t.Errorf("token of %d bytes (valid %v), want a %d byte token of base64url and dots", len(tok), r.s.ValidToken(tok), bigTokenLen)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fault.Kind.String(), func(t *testing.T) {
			s := startServer(t, Options{})
			s.SetFault(tt.fault)
			start := time.Now()
			out, err := newClient(s, "AKIDTEST", "secret").GetAuthorizationToken(testContext(t), &codeartifact.GetAuthorizationTokenInput{Domain: aws.String("demo")})
			tt.check(t, result{out: out, err: err, s: s})
			if time.Since(start) < tt.fault.Delay && tt.fault.Kind == Slow {
				t.Errorf("answered before the delay")
			}
			if s.TokenCalls() != 1 {
				t.Errorf("TokenCalls = %d, want 1", s.TokenCalls())
			}
		})
	}
}

func TestHangEndsWithClientOrClose(t *testing.T) {
	s := startServer(t, Options{})
	s.SetFault(Fault{Kind: Hang})
	c := newClient(s, "AKIDTEST", "secret")
	in := &codeartifact.GetAuthorizationTokenInput{Domain: aws.String("demo")}

	ctx, cancel := context.WithTimeout(testContext(t), 200*time.Millisecond)
	defer cancel()
	if _, err := c.GetAuthorizationToken(ctx, in); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want context.DeadlineExceeded", err)
	}

	errc := make(chan error, 1)
	go func() {
		_, err := c.GetAuthorizationToken(testContext(t), in)
		errc <- err
	}()
	for s.TokenCalls() < 2 {
		time.Sleep(5 * time.Millisecond)
	}
	s.Close()
	select {
	case err := <-errc:
		if err == nil {
			t.Fatal("hanging call succeeded after Close")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not release a hanging request")
	}
	for _, r := range s.Requests() {
		if r.Status != 0 {
			t.Errorf("hung request logged with status %d, want 0", r.Status)
		}
	}
}

func TestFaultTimes(t *testing.T) {
	const ok = "ok"
	tests := []struct {
		name   string
		faults []Fault
		calls  []string // "ok" or the error code each call of op gets
		op     string
	}{
		{name: "throttle twice", faults: []Fault{{Kind: Throttle, Times: 2}}, op: OpGetAuthorizationToken,
			calls: []string{"ThrottlingException", "ThrottlingException", ok, ok}},
		{name: "forever", faults: []Fault{{Kind: ServerError}}, op: OpGetAuthorizationToken,
			calls: []string{"InternalServerException", "InternalServerException", "InternalServerException"}},
		{name: "sequence", faults: []Fault{{Kind: Throttle, Times: 1}, {Kind: AccessDenied, Times: 2}}, op: OpGetAuthorizationToken,
			calls: []string{"ThrottlingException", "AccessDeniedException", "AccessDeniedException", ok}},
		{name: "endpoint too", faults: []Fault{{Kind: AccessDenied, Times: 1}}, op: OpGetRepositoryEndpoint,
			calls: []string{"AccessDeniedException", ok}},
		{name: "other op untouched", faults: []Fault{{Kind: AccessDenied, Op: OpGetRepositoryEndpoint}}, op: OpGetAuthorizationToken,
			calls: []string{ok, ok}},
		{name: "token-only kind spares endpoint", faults: []Fault{{Kind: PastExpiration, Times: 1}}, op: OpGetRepositoryEndpoint,
			calls: []string{ok, ok}},
		{name: "cleared", faults: []Fault{{}}, op: OpGetAuthorizationToken, calls: []string{ok}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startServer(t, Options{})
			s.SetFaults(tt.faults...)
			c := newClient(s, "AKIDTEST", "secret")
			for i, want := range tt.calls {
				if got := callOp(t, c, tt.op); got != want {
					t.Errorf("call %d: got %s, want %s", i+1, got, want)
				}
			}
			if n := s.Calls(tt.op); n != len(tt.calls) {
				t.Errorf("Calls(%s) = %d, want %d", tt.op, n, len(tt.calls))
			}
		})
	}
}

// callOp calls op once and returns "ok" or the API error code.
func callOp(t *testing.T, c *codeartifact.Client, op string) string {
	t.Helper()
	var err error
	if op == OpGetRepositoryEndpoint {
		_, err = c.GetRepositoryEndpoint(testContext(t), &codeartifact.GetRepositoryEndpointInput{
			Domain: aws.String("demo"), Repository: aws.String("releases"), Format: types.PackageFormatMaven,
		})
	} else {
		_, err = c.GetAuthorizationToken(testContext(t), &codeartifact.GetAuthorizationTokenInput{Domain: aws.String("demo")})
	}
	var apiErr smithy.APIError
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &apiErr):
		return apiErr.ErrorCode()
	}
	t.Fatalf("%s: %v", op, err)
	return ""
}

// TestSDKRetries pins down which faults the SDK's standard retryer retries
// (3 attempts), since TokenCalls counts every attempt.
func TestSDKRetries(t *testing.T) {
	tests := []struct {
		fault     Fault
		wantErr   bool
		wantCalls int
	}{
		{Fault{Kind: Throttle, Times: 2, RetryAfter: "1"}, false, 3},
		{Fault{Kind: ServerError, Times: 1}, false, 2},
		{Fault{Kind: ServerError}, true, 3},
		{Fault{Kind: AccessDenied}, true, 1},
		{Fault{Kind: ExpiredToken}, true, 1},
		{Fault{Kind: Validation}, true, 1},
	}
	noBackoff := retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
	for _, tt := range tests {
		t.Run(tt.fault.Kind.String(), func(t *testing.T) {
			s := startServer(t, Options{})
			s.SetFault(tt.fault)
			c := newClient(s, "AKIDTEST", "secret", func(o *codeartifact.Options) {
				o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) { so.Backoff = noBackoff })
			})
			_, err := c.GetAuthorizationToken(testContext(t), &codeartifact.GetAuthorizationTokenInput{Domain: aws.String("demo")})
			if (err != nil) != tt.wantErr {
				t.Errorf("error = %v, want error %v", err, tt.wantErr)
			}
			if s.TokenCalls() != tt.wantCalls {
				t.Errorf("TokenCalls = %d, want %d", s.TokenCalls(), tt.wantCalls)
			}
		})
	}
}

func TestParseFaultKind(t *testing.T) {
	for _, k := range FaultKinds() {
		got, err := ParseFaultKind(k.String())
		if err != nil || got != k {
			t.Errorf("ParseFaultKind(%q) = %v, %v; want %v", k.String(), got, err, k)
		}
	}
	for name, want := range map[string]FaultKind{"AccessDenied": AccessDenied, "BAD_JSON": BadJSON, "throttle": Throttle} {
		if got, err := ParseFaultKind(name); err != nil || got != want {
			t.Errorf("ParseFaultKind(%q) = %v, %v; want %v", name, got, err, want)
		}
	}
	if _, err := ParseFaultKind("explode"); err == nil {
		t.Error("ParseFaultKind accepted an unknown name")
	}
}
