//go:build linux

package test

// status and erase --all see keyring items without index.json.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
	"github.com/ca-helper/ca-helper/test/testenv"
)

// TestKeyringEntriesSeenWithoutIndex: after a logout wipes XDG_RUNTIME_DIR
// (and index.json with it) the keyring still holds the token. status must
// list it and erase --all must remove it, so that the next get fetches anew.
// The test runs its own gnome-keyring: erase --all removes every ca-helper
// item of the keyring it talks to, which must not be one other tests share.
func TestKeyringEntriesSeenWithoutIndex(t *testing.T) {
	for _, tool := range []string{"dbus-run-session", "gnome-keyring-daemon", "secret-tool"} {
		testenv.Tool(t, tool, "apt-get install -y dbus-x11 gnome-keyring libsecret-tools")
	}
	h := newHarness(t, fake.Options{})
	addr, _ := startSession(t, h, `printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null`)
	h.env["DBUS_SESSION_BUS_ADDRESS"] = addr
	h.env["CA_HELPER_CACHE"] = "keyring"
	h.env["CA_HELPER_CACHE_DIR"] = "" // the default: $XDG_RUNTIME_DIR/ca-helper
	h.env["CODEARTIFACT_DOMAIN"] = "logout-e2e"
	h.env["XDG_RUNTIME_DIR"] = mkdirPrivateIn(t, h.home, "run-before-logout")

	tok := h.mustGet()
	if !strings.Contains(lookupSecret(t, h, addr), tok) {
		t.Fatal("the token is not in the keyring: nothing to test with")
	}
	h.env["XDG_RUNTIME_DIR"] = mkdirPrivateIn(t, h.home, "run-after-login")

	r := h.run("ca-helper", "status")
	if r.code != 0 || !strings.Contains(r.stdout, "logout-e2e_"+testOwner) || !strings.Contains(r.stdout, "\tkeyring\texpires in ") {
		t.Errorf("status without the index does not list the keyring entry:\n%s", r)
	}
	if r := h.run("ca-helper", "erase", "--all", "--debug"); r.code != 0 {
		t.Fatalf("erase --all: %s", r)
	}
	if stored := lookupSecret(t, h, addr); stored != "" {
		t.Error("erase --all left the token in the keyring")
	}
	r = h.run("ca-helper", "get", "--debug")
	if r.code != 0 || strings.Contains(r.stderr, "cache hit in keyring") || h.fake.TokenCalls() != 2 {
		t.Errorf("get after erase --all: want a new fetch (token calls %d, want 2): %s", h.fake.TokenCalls(), r)
	}
	if r := h.run("ca-helper", "status"); !strings.Contains(r.stdout, "logout-e2e_"+testOwner) && !strings.Contains(r.stdout, "logout-e2e-"+testOwner) {
		t.Errorf("status does not list the new entry:\n%s", r)
	}
}

// mkdirPrivateIn makes parent/name with mode 0700 and returns its path.
func mkdirPrivateIn(t *testing.T, parent, name string) string {
	t.Helper()
	d := filepath.Join(parent, name)
	if err := os.MkdirAll(d, 0o700); err != nil {
		t.Fatal(err)
	}
	return d
}
