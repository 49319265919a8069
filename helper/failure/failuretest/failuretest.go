// Package failuretest checks, in tests, that an error has the shape every
// ca-helper error must have: the right exit code, a hint, one line.
package failuretest

import (
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/helper/failure"
)

// WantCode fails t unless err classifies as code with a hint, is one line,
// and contains every part.
func WantCode(t testing.TB, err error, code int, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want exit %d error containing %q", code, parts)
	}
	got, hint := failure.Classify(err)
	if got != code {
		t.Errorf("exit code = %d, want %d (error: %v)", got, code, err)
	}
	if hint == "" {
		t.Errorf("error %q has no hint", err)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("error is not one line: %q", err)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not contain %q", err, p)
		}
	}
}

// WantUsage is WantCode for a usage error (exit 2).
func WantUsage(t testing.TB, err error, parts ...string) {
	t.Helper()
	WantCode(t, err, failure.Usage, parts...)
}
