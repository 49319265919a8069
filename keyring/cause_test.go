package keyring

import (
	"errors"
	"fmt"
	"net"
	"os"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	gokeyring "github.com/zalando/go-keyring"
)

// unavailable wraps err as keyringStore.call does.
func unavailable(op string, err error) error {
	return fmt.Errorf("%w: keyring %s: %w", ErrUnavailable, op, err)
}

// dialErr is what dialing a bus address that leads nowhere returns.
func dialErr(path string, errno syscall.Errno) error {
	return fmt.Errorf("connect to the session bus: %w",
		&net.OpError{Op: "dial", Net: "unix", Addr: &net.UnixAddr{Name: path, Net: "unix"}, Err: os.NewSyscallError("connect", errno)})
}

func TestCauseOf(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want Cause
	}{
		{"probe timed out", fmt.Errorf("%w: %w", ErrUnavailable, noAnswerError{Op: "get", Timeout: time.Second}), CauseNoAnswer},
		{"timed out earlier in the run", fmt.Errorf("%w: %w", ErrUnavailable, noAnswerError{Op: "set"}), CauseNoAnswer},
		{"empty bus address", sessionBusMissingErr(), CauseNoBus},
		{"stale bus socket", unavailable("get", dialErr("/run/user/1000/bus", syscall.ENOENT)), CauseNoBus},
		{"stale bus, other path", unavailable("get", dialErr("/tmp/dbus-Xa81kQ", syscall.ENOENT)), CauseNoBus},
		{"nobody listens", unavailable("set", dialErr("/tmp/dbus-1", syscall.ECONNREFUSED)), CauseNoBus},
		{"go-keyring's dial error, as text", unavailable("set", errors.New("dial unix /nonexistent: connect: no such file or directory")), CauseNoBus},
		{"bus refuses us", unavailable("get", errors.New("authenticate to the session bus: dbus: authentication failed")), CauseNoBus},
		{"no Secret Service", unavailable("get", errors.New("The name org.freedesktop.secrets was not provided by any .service files")), CauseNoService},
		{"no Secret Service, reply name", unavailable("list", errors.New("org.freedesktop.DBus.Error.ServiceUnknown")), CauseNoService},
		{"locked, prompt failed", unavailable("get", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/collection/login'")), CauseLocked},
		{"locked item", unavailable("get", errors.New("org.freedesktop.Secret.Error.IsLocked")), CauseLocked},
		{"locked macOS keychain", unavailable("set", errors.New("exit status 36: User interaction is not allowed.")), CauseLocked},
		{"access denied", unavailable("get", errors.New("org.freedesktop.DBus.Error.AccessDenied: rejected")), CauseOther},
		{"no keyring on this platform", unavailable("get", gokeyring.ErrUnsupportedPlatform), CauseOther},
		{"nil", nil, CauseOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CauseOf(tt.err); got != tt.want {
				t.Errorf("CauseOf(%v) = %s, want %s", tt.err, got, tt.want)
			}
		})
	}
}

// sessionBusMissingErr is sessionBusMissing's error on any platform.
func sessionBusMissingErr() error { return fmt.Errorf("%w: %w", ErrUnavailable, errNoBusAddress) }

// TestCauseNames: the names go into marker file names, so each is distinct
// and safe in a file name; an unknown class is "other".
func TestCauseNames(t *testing.T) {
	seen := map[string]bool{}
	for c := range causes {
		name := c.String()
		if !regexp.MustCompile(`^[a-z][a-z-]*$`).MatchString(name) || seen[name] {
			t.Errorf("cause %d: name %q is not a distinct [a-z-] word", c, name)
		}
		seen[name] = true
	}
	if got := Cause(99).String(); got != "other" {
		t.Errorf("Cause(99) = %q, want other", got)
	}
}

func TestFallbackWarning(t *testing.T) {
	const choose = "caching tokens in files; set CA_HELPER_CACHE=file to choose files and silence this, or "
	long := unavailable("get", errors.New(strings.Repeat("x", 100)))
	tests := []struct {
		err  error
		want string
	}{
		{unavailable("get", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/collection/login'")),
			"keyring not used (locked), " + choose + "unlock the keyring"},
		{unavailable("get", dialErr("/run/user/1000/bus", syscall.ENOENT)),
			"keyring not used (session bus unreachable), " + choose + "fix DBUS_SESSION_BUS_ADDRESS"},
		{unavailable("get", errors.New("org.freedesktop.DBus.Error.ServiceUnknown")),
			"keyring not used (no Secret Service), " + choose + "start a keyring daemon"},
		{fmt.Errorf("%w: %w", ErrUnavailable, noAnswerError{Op: "get", Timeout: time.Second}),
			"keyring not used (no answer), " + choose + "check that the keyring daemon runs and is unlocked"},
		// Other causes are quoted: short, one line, without control characters.
		{unavailable("get", errors.New("AccessDenied:\n\x1b[31mrejected\t now")),
			"keyring not used (keyring get: AccessDenied: [31mrejected now), " + choose + "run ca-helper doctor"},
		{long, "keyring not used (keyring get: " + strings.Repeat("x", 46) + "…), " + choose + "run ca-helper doctor"},
		{fmt.Errorf("%w: \n", ErrUnavailable), "keyring not used (unknown error), " + choose + "run ca-helper doctor"},
	}
	for _, tt := range tests {
		got := Event{Kind: KeyringUnavailable, Err: tt.err}.String()
		if got != tt.want {
			t.Errorf("warning for %q:\n got %q\nwant %q", tt.err, got, tt.want)
		}
	}
}
