package helper

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/ca-helper/ca-helper/helper/awsca"
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
		{"usage", usageErr("do this", "bad %s", "thing"), 2, "do this"},
		{"wrapped usage", fmt.Errorf("resolve: %w", usageErr("do this", "bad")), 2, "do this"},
		{"runtime", runtimeErr("retry", errors.New("boom")), 1, "retry"},
		{"auth", &cliError{code: exitAuth, err: errors.New("denied"), hint: "log in"}, 3, "log in"},
		{"coded auth", codedErr{3}, 3, "hint 3"},
		{"wrapped coded usage", fmt.Errorf("fetch: %w", codedErr{2}), 2, "hint 2"},
		{"awsca error", fmt.Errorf("fetch: %w", &awsca.Error{Code: 3, Reason: "access denied"}), 3, ""},
		{"cli error beats coded inside it", &cliError{code: 1, err: codedErr{3}, hint: "outer"}, 1, "outer"},
		{"plain error is runtime", errors.New("boom"), 1, ""},
		{"context canceled is runtime", context.Canceled, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, hint := classify(tt.err)
			if code != tt.wantCode || hint != tt.wantHint {
				t.Errorf("classify(%v) = %d, %q; want %d, %q", tt.err, code, hint, tt.wantCode, tt.wantHint)
			}
		})
	}
}

func TestCLIErrorUnwraps(t *testing.T) {
	cause := errors.New("cause")
	err := runtimeErr("hint", cause)
	if !errors.Is(err, cause) || err.Error() != "cause" {
		t.Errorf("runtimeErr: Error() = %q, Is(cause) = %v", err, errors.Is(err, cause))
	}
	wrapped := usageErr("hint", "read %s: %w", "x", cause)
	if !errors.Is(wrapped, cause) || wrapped.Error() != "read x: cause" {
		t.Errorf("usageErr: Error() = %q, Is(cause) = %v", wrapped, errors.Is(wrapped, cause))
	}
}
