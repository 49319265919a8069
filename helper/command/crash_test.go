package command

import (
	"bytes"
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/helper/failure"
)

func isWindows() bool { return runtime.GOOS == "windows" }

const crashSecret = "tok3n-IN-A-PANIC-value"

func TestRecoveredPanic(t *testing.T) {
	var nilMap map[string]int
	tests := []struct {
		name  string
		panic func()
		want  string // in the message
	}{
		{"string value", func() { panic("token " + crashSecret) }, "internal error: panic(string) in command.TestRecoveredPanic"},
		{"error value", func() { panic(errors.New(crashSecret)) }, "internal error: panic(*errors.errorString) in command."},
		{"runtime error", func() { nilMap[crashSecret] = 1 }, "internal error: assignment to entry in nil map in command."},
		{"index", func() { _ = []string{crashSecret}[len(nilMap)+3] }, "internal error: runtime error: index out of range [3] with length 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := recovered(func() error { tt.panic(); return nil })
			code, hint := failure.Classify(err)
			if code != 1 || err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "crash_test.go:") {
				t.Fatalf("exit %d, %v; want 1, %q at crash_test.go", code, err, tt.want)
			}
			if strings.Contains(err.Error(), crashSecret) || strings.Contains(err.Error(), "\n") {
				t.Errorf("the report %q holds the panic's value or several lines", err)
			}
			if !strings.Contains(hint, "ca-helper version") {
				t.Errorf("hint %q does not say how to report it", hint)
			}
		})
	}
}

// TestPanicInCommand panics inside a command's action, as a bug would, and
// checks what Run makes of it: exit 1, one error and one hint line.
func TestPanicInCommand(t *testing.T) {
	sys := newSystem(t)
	s := sys.system("", nil, nil)
	s.Getenv = func(k string) string {
		if k == "CA_HELPER_CACHE" {
			panic("leaked " + crashSecret)
		}
		return sys.getenv(k)
	}
	var out, errOut bytes.Buffer
	s.Stdout, s.Stderr, s.Now = &out, &errOut, time.Now
	code := Run(context.Background(), s, []string{"ca-helper", "status"})
	lines := strings.Split(strings.TrimSuffix(errOut.String(), "\n"), "\n")
	if code != 1 || out.Len() != 0 || len(lines) != 2 ||
		!strings.HasPrefix(lines[0], "ca-helper: error: internal error: panic(string) in ") ||
		!strings.HasPrefix(lines[1], "ca-helper: hint: this is a bug in ca-helper") {
		t.Fatalf("exit %d, stdout %q, stderr:\n%s", code, out.String(), errOut.String())
	}
	if strings.Contains(errOut.String(), crashSecret) {
		t.Errorf("the panic's value reached stderr: %s", errOut.String())
	}
}
