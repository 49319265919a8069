//go:build linux

package test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// fallbackWarning is the warning of --cache auto when the keyring does not
// work for the reason says, with what to do about it.
func fallbackWarning(says, fix string) string {
	return "ca-helper: warning: keyring not used (" + says + "), caching tokens in files; " +
		"set CA_HELPER_CACHE=file to choose files and silence this, or " + fix + "\n"
}

// TestKeyringFallbackWarnedOncePerDay: a Maven build runs `ca-helper get`
// every time, so a keyring that does not work is warned about once a day
// per cause, with how to silence it; a repeat shows with --debug only, a new
// cause is warned again, --cache file never warns, erase --all forgets the
// warnings, and doctor reports the fallback every time.
func TestKeyringFallbackWarnedOncePerDay(t *testing.T) {
	h := newHarness(t, fake.Options{})
	h.env["CA_HELPER_CACHE"] = "auto"
	h.env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=" + filepath.Join(h.home, "dead-bus")
	deadBus := fallbackWarning("session bus unreachable", "fix DBUS_SESSION_BUS_ADDRESS")

	getWants := func(step, stderr string, args ...string) result {
		t.Helper()
		r := h.run("ca-helper", append([]string{"get"}, args...)...)
		tok := strings.TrimSuffix(r.stdout, "\n")
		if r.code != 0 || strings.Contains(tok, "\n") || !h.fake.ValidToken(tok) {
			t.Fatalf("%s: want the token alone on stdout: %s", step, r)
		}
		if stderr != "*" && r.stderr != stderr {
			t.Errorf("%s: stderr\n%q\nwant\n%q", step, r.stderr, stderr)
		}
		return r
	}

	getWants("first get, dead bus", deadBus)
	getWants("second get, dead bus", "")
	getWants("third get, dead bus", "")
	r := getWants("get --debug, dead bus", "*", "--debug")
	if strings.Contains(r.stderr, "ca-helper: warning:") ||
		!strings.Contains(r.stderr, "ca-helper: debug: keyring not used: token storage unavailable: keyring get: connect to the session bus") ||
		!strings.Contains(r.stderr, "ca-helper: debug: warned within the last day, not repeated: keyring not used (session bus unreachable)") {
		t.Errorf("get --debug does not log the quiet fallback and its cause:\n%s", r.stderr)
	}
	if h.fake.TokenCalls() != 1 {
		t.Errorf("%d token calls, want 1: the file cache serves the rest", h.fake.TokenCalls())
	}

	// Another class of cause: a bus that never answers.
	h.env["DBUS_SESSION_BUS_ADDRESS"] = silentBus(t, filepath.Join(h.home, "bus"))
	getWants("get, hung bus", fallbackWarning("no answer", "check that the keyring daemon runs and is unlocked"))
	getWants("get again, hung bus", "")

	// doctor is where users look: it reports the fallback though get is quiet.
	d := h.run("ca-helper", "doctor")
	checks, _ := parseDoctor(t, d.stdout)
	if c := checks["cache"]; c.status != "warn" || !strings.Contains(c.detail, "auto chose file: the keyring did not work") {
		t.Errorf("doctor's cache check after quiet gets: %s %q, want the fallback\n%s", c.status, c.detail, d)
	}

	// Files by choice: no probe, no warning, no marker.
	if r := h.run("ca-helper", "erase", "--all"); r.code != 0 {
		t.Fatalf("erase --all: %s", r)
	}
	if m := warnMarkers(t, h); len(m) != 0 {
		t.Errorf("erase --all left %v", m)
	}
	h.env["CA_HELPER_CACHE"] = "file"
	getWants("get, CA_HELPER_CACHE=file", "")
	getWants("get --debug, CA_HELPER_CACHE=file", "*", "--debug")
	h.env["CA_HELPER_CACHE"] = "auto"
	if m := warnMarkers(t, h); len(m) != 0 {
		t.Errorf("--cache file wrote %v", m)
	}

	// erase --all forgot the warnings: the next fallback is warned again.
	h.env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=" + filepath.Join(h.home, "dead-bus")
	getWants("get after erase --all, dead bus", deadBus)
	if m := warnMarkers(t, h); len(m) != 1 {
		t.Errorf("markers %v, want one", m)
	}
}

// TestCacheFileNeverProbesKeyring: --cache file (flag or env) reads no
// keyring, so a dead bus costs nothing and prints nothing, not even with
// --debug.
func TestCacheFileNeverProbesKeyring(t *testing.T) {
	h := newHarness(t, fake.Options{})
	h.env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=" + filepath.Join(h.home, "dead-bus")
	for _, args := range [][]string{{"get"}, {"get", "--debug"}, {"get", "--cache", "file"}} {
		h.env["CA_HELPER_CACHE"] = "file"
		if args[len(args)-1] == "file" {
			h.env["CA_HELPER_CACHE"] = "auto" // the flag wins
		}
		r := h.run("ca-helper", args...)
		if r.code != 0 || !h.fake.ValidToken(strings.TrimSuffix(r.stdout, "\n")) || strings.Contains(r.stderr, "keyring") {
			t.Errorf("%v: %s", args, r)
		}
	}
	if m := warnMarkers(t, h); len(m) != 0 {
		t.Errorf("markers %v, want none", m)
	}
}

// warnMarkers lists the files that remember a fallback warning.
func warnMarkers(t *testing.T, h *harness) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(h.cache, "*.warned"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range m {
		if fi, err := os.Stat(p); err == nil && fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", p, fi.Mode().Perm())
		}
	}
	return m
}
