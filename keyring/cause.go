package keyring

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"time"
	"unicode"
)

// Cause is the class of reason the keyring could not be used. The warning
// about falling back to files is given once a day per class, not per error
// text, which varies between runs (bus addresses, object paths, PIDs).
type Cause int

const (
	// CauseOther is any failure the other classes do not cover.
	CauseOther Cause = iota
	// CauseNoBus: DBUS_SESSION_BUS_ADDRESS names a session bus that cannot
	// be reached (a stale address from an ended login, a dead socket).
	CauseNoBus
	// CauseNoService: the session bus answers, but no Secret Service runs
	// on it (no gnome-keyring, KWallet or KeePassXC).
	CauseNoService
	// CauseLocked: the keyring is locked and could not be unlocked (no
	// display for the prompt, or the prompt was refused).
	CauseLocked
	// CauseNoAnswer: the keyring did not answer within the timeout.
	CauseNoAnswer
)

// causes is each class's stable name (in marker file names, never
// reworded), what the warning calls it, and what the user can do about it.
var causes = map[Cause]struct{ name, says, fix string }{
	CauseOther:     {"other", "", "run ca-helper doctor"},
	CauseNoBus:     {"no-bus", "session bus unreachable", "fix DBUS_SESSION_BUS_ADDRESS"},
	CauseNoService: {"no-service", "no Secret Service", "start a keyring daemon"},
	CauseLocked:    {"locked", "locked", "unlock the keyring"},
	CauseNoAnswer:  {"no-answer", "no answer", "check that the keyring daemon runs and is unlocked"},
}

// String is the class's stable name: other, no-bus, no-service, locked or
// no-answer.
func (c Cause) String() string {
	if d, ok := causes[c]; ok {
		return d.name
	}
	return causes[CauseOther].name
}

// noAnswerError is a keyring call that did not answer in time, in this
// call (Timeout > 0) or an earlier one of the same store.
type noAnswerError struct {
	Op      string
	Timeout time.Duration
}

func (e noAnswerError) Error() string {
	if e.Timeout <= 0 {
		return "the keyring did not answer earlier in this run"
	}
	return fmt.Sprintf("the keyring did not answer (%s) within %v", e.Op, e.Timeout)
}

// errNoBusAddress is why the keyring is not called on a D-Bus platform
// without a session bus address.
var errNoBusAddress = errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is empty)")

// Texts of errors that carry no type to test: go-keyring's and D-Bus's own
// messages, and macOS's security tool. Lowercase; matched in lowercased text.
var (
	lockedTexts = []string{
		"failed to unlock",                      // go-keyring: prompt failed or refused
		"org.freedesktop.secret.error.islocked", // a reply name
		"(locked)",                              // secretservice: login collection locked
		"interaction is not allowed",            // macOS: locked keychain, no UI
		"-25308",                                // macOS: errSecInteractionNotAllowed
	}
	noServiceTexts = []string{
		"was not provided by any .service files", // dbus-daemon: no Secret Service
		"serviceunknown",
		"namehasnoowner",
	}
	noBusTexts = []string{
		"session bus", // secretservice: connect, authenticate, register
		"dbus: authentication failed",
		"connection refused",
		"no such file or directory",
	}
)

// CauseOf classifies why err made the keyring unusable.
func CauseOf(err error) Cause {
	if err == nil {
		return CauseOther
	}
	var na noAnswerError
	switch {
	case errors.As(err, &na):
		return CauseNoAnswer
	case errors.Is(err, errNoBusAddress):
		return CauseNoBus
	}
	text := strings.ToLower(err.Error())
	switch {
	case containsAny(text, lockedTexts):
		return CauseLocked
	case containsAny(text, noServiceTexts):
		return CauseNoService
	}
	var op *net.OpError
	if errors.As(err, &op) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ENOENT) ||
		containsAny(text, noBusTexts) {
		return CauseNoBus
	}
	return CauseOther
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// maxCauseText caps the cause quoted in a warning of class CauseOther.
const maxCauseText = 60

// shortCause is err's text for a one-line warning: without the
// ErrUnavailable prefix, control characters and runs of spaces, cut to
// maxCauseText runes. The whole error goes to the debug log.
func shortCause(err error) string {
	if err == nil {
		return "unknown error"
	}
	text := strings.TrimPrefix(err.Error(), ErrUnavailable.Error()+": ")
	text = strings.Join(strings.FieldsFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || !unicode.IsPrint(r)
	}), " ")
	if r := []rune(text); len(r) > maxCauseText {
		text = string(r[:maxCauseText-1]) + "…"
	}
	if text == "" {
		return "unknown error"
	}
	return text
}

// fallbackWarning is the one-line warning of a KeyringUnavailable event:
// the class of cause, and the two ways to end the warning.
func fallbackWarning(err error) string {
	c := CauseOf(err)
	d := causes[c]
	says := d.says
	if c == CauseOther {
		says = shortCause(err)
	}
	return fmt.Sprintf("keyring not used (%s), caching tokens in files; "+
		"set CA_HELPER_CACHE=file to choose files and silence this, or %s", says, d.fix)
}
