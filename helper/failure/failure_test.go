package failure_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/helper/awsca"
	"github.com/ca-helper/ca-helper/helper/failure"
)

// codedErr stands in for an error of another package that classifies itself.
type codedErr struct{ code int }

func (e codedErr) Error() string { return "coded" }
func (e codedErr) ExitCode() int { return e.code }
func (e codedErr) Hint() string  { return fmt.Sprintf("hint %d", e.code) }

func TestClassify(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		wantCode int
		wantHint string
	}{
		{"nil", nil, 0, ""},
		{"usage", failure.Usagef("do this", "bad %s", "thing"), 2, "do this"},
		{"wrapped usage", fmt.Errorf("resolve: %w", failure.Usagef("do this", "bad")), 2, "do this"},
		{"runtime", failure.Wrap(failure.Runtime, "retry", errors.New("boom")), 1, "retry"},
		{"auth", &failure.Error{Code: failure.Auth, Err: errors.New("denied"), Hint: "log in"}, 3, "log in"},
		{"coded auth", codedErr{3}, 3, "hint 3"},
		{"wrapped coded usage", fmt.Errorf("fetch: %w", codedErr{2}), 2, "hint 2"},
		{"awsca error", fmt.Errorf("fetch: %w", &awsca.Error{Code: 3, Reason: "access denied"}), 3, ""},
		{"cli error beats coded inside it", &failure.Error{Code: 1, Err: codedErr{3}, Hint: "outer"}, 1, "outer"},
		{"plain error is runtime", errors.New("boom"), 1, ""},
		{"context canceled is runtime", context.Canceled, 1, ""},
		{"a child's status passes through", fmt.Errorf("exec: %w", failure.Status(42)), 42, ""},
		{"an error never exits 0", failure.Wrap(failure.OK, "h", errors.New("boom")), 1, "h"},
		{"coded 0 is runtime", codedErr{0}, 1, "hint 0"},
		{"coded 99 is runtime", codedErr{99}, 1, "hint 99"},
		{"coded -1 is runtime", codedErr{-1}, 1, "hint -1"},
		{"exec's own codes pass", failure.Wrap(127, "h", errors.New("not found")), 127, "h"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, hint := failure.Classify(tt.err)
			if code != tt.wantCode || hint != tt.wantHint {
				t.Errorf("classify(%v) = %d, %q; want %d, %q", tt.err, code, hint, tt.wantCode, tt.wantHint)
			}
		})
	}
}

func TestCLIErrorUnwraps(t *testing.T) {
	cause := errors.New("cause")
	err := failure.Wrap(failure.Runtime, "hint", cause)
	if !errors.Is(err, cause) || err.Error() != "cause" {
		t.Errorf("runtimeErr: Error() = %q, Is(cause) = %v", err, errors.Is(err, cause))
	}
	wrapped := failure.Usagef("hint", "read %s: %w", "x", cause)
	if !errors.Is(wrapped, cause) || wrapped.Error() != "read x: cause" {
		t.Errorf("usageErr: Error() = %q, Is(cause) = %v", wrapped, errors.Is(wrapped, cause))
	}
}

func TestOneLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"two\nlines\r\n", "two lines"},
		{"  tabs\tand   spaces ", "tabs and spaces"},
		{"bell\aand escape\x1b[31mred", `bell\x07and escape\x1b[31mred`},
		{"c1 \u0085 next line \u009b csi", `c1 next line \u009b csi`},
		{"bidi \u202egnp.exe", `bidi \u202egnp.exe`},
		{"see http://u:pw@h/?sig=s", "see http://REDACTED@h/?sig=REDACTED"},
		{"unicode stays: é ✓", "unicode stays: é ✓"},
	}
	for _, tt := range tests {
		if got := failure.OneLine(tt.in); got != tt.want {
			t.Errorf("OneLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestOneLineKeepsBothEndsOfLongValues(t *testing.T) {
	arn := "arn:aws:codeartifact:us-east-1:111122223333:repository/" + strings.Repeat("d", 50) + "/" + strings.Repeat("r", 100) + "-end"
	msg := "User: arn:aws:sts::111122223333:assumed-role/dev/jane is not authorized on resource: " + arn + " "
	got := failure.OneLine(strings.Repeat(msg, 8) + "because no policy allows it")
	for _, want := range []string{"User: arn:aws:sts::", "arn:aws:codeartifact", "r-end", "because no policy allows it", "…"} {
		if !strings.Contains(got, want) {
			t.Errorf("OneLine lost %q: %q", want, got)
		}
	}
	if len(got) > failure.MaxMessage {
		t.Errorf("OneLine gave %d bytes, over %d", len(got), failure.MaxMessage)
	}
	if got := failure.Printable(strings.Repeat("x", 40) + strings.Repeat("y", 40)); !strings.HasPrefix(got, "xxx") || !strings.HasSuffix(got, "yyy") || len(got) > 64 {
		t.Errorf("Printable = %q, want both ends in 64 bytes", got)
	}
}
