package test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// fakeAWSChild writes a stand-in for ca-helper-aws that reads its request and
// prints answer, and points ca-helper at it.
func fakeAWSChild(t *testing.T, h *harness, answer string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ca-helper-aws")
	body := "#!/bin/sh\n[ \"$1\" = --serve ] || exit 9\ncat > /dev/null\nprintf '%s\\n' '" + answer + "'\n"
	if err := os.WriteFile(path, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	h.env["CA_HELPER_AWS_BIN"] = path
}

// TestGetNeverTrustsChildExitCode: whatever code ca-helper-aws puts next to
// an error, `get` fails with 1, 2 or 3 and prints nothing on stdout; an error
// answered with code 0 must not look like success to a script.
func TestGetNeverTrustsChildExitCode(t *testing.T) {
	tests := []struct {
		name   string
		answer string
		want   int
	}{
		{"error with code 0", `{"error":{"code":0,"reason":"x","message":"it broke","hint":"h"}}`, 1},
		{"error with code 0 beside a token", `{"token":"abc","expiration":"2099-01-01T00:00:00Z","error":{"code":0,"reason":"x","message":"it broke"}}`, 1},
		{"error with code 99", `{"error":{"code":99,"reason":"x","message":"it broke","hint":"h"}}`, 1},
		{"error with a negative code", `{"error":{"code":-1,"reason":"x","message":"it broke"}}`, 1},
		{"error with no message and no hint", `{"error":{"code":0}}`, 1},
		{"usage error passes", `{"error":{"code":2,"reason":"x","message":"bad domain","hint":"h"}}`, 2},
		{"credentials error passes", `{"error":{"code":3,"reason":"x","message":"denied","hint":"h"}}`, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, fake.Options{})
			fakeAWSChild(t, h, tt.answer)
			r := h.run("ca-helper", "get")
			wantFailure(t, r, tt.want, "")
			if strings.Count(r.stderr, "\n") != 2 || strings.Contains(r.stderr, "ca-helper: error: \n") {
				t.Errorf("want one non-empty error line and one hint line:\n%s", r.stderr)
			}
		})
	}
}
