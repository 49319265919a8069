package keyring

// Tests against a real Secret Service (gnome-keyring) through go-keyring.
//
// Recipe (Debian/Ubuntu packages gnome-keyring, libsecret-tools, dbus-x11;
// verified headless, as root and as a normal user, with an empty HOME):
//
//	dbus-run-session -- sh -c '
//	  eval "$(echo -n pw | gnome-keyring-daemon --unlock --components=secrets)"
//	  CI=true go test -race ./keyring/'
//
// "--unlock" reads the password from stdin and creates (or unlocks) the
// "login" collection in $XDG_DATA_HOME/keyrings (~/.local/share/keyrings),
// which go-keyring uses; nothing else is needed: no secret-tool call, no
// wait. Pitfalls: a login.keyring left by an earlier run with a different
// password stays locked and every call hangs until the timeout — use the same
// password or a throwaway HOME/XDG_DATA_HOME. Without --unlock, the daemon
// answers with a prompt that nobody can answer, which is the "keyring
// hangs" case the timeouts are for.
//
// ./test.sh does all this with XDG_DATA_HOME in a temporary directory and
// names its bus in CA_HELPER_TEST_BUS; on any other bus (a desktop session's,
// whose keyring is the user's own) these tests are skipped, except when
// CI=true: a skipped keyring test in CI is a failure.

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gokeyring "github.com/zalando/go-keyring"

	"github.com/ca-helper/ca-helper/keyring/keyringtest"
	"github.com/ca-helper/ca-helper/test/testenv"
)

func requireSecretService(t *testing.T) {
	t.Helper()
	testenv.SecretService(t)
}

// itemsOf keeps k's items: List on a real keyring also finds what other
// tests, which share it, store meanwhile.
func itemsOf(items []Item, k Key) []Item {
	var mine []Item
	for _, it := range items {
		if it.Key.ID == k.ID {
			mine = append(mine, it)
		}
	}
	return mine
}

// itemsOfList is s.List() kept to k's items.
func itemsOfList(s Store, k Key) ([]Item, error) {
	items, err := s.List()
	return itemsOf(items, k), err
}

// uniqueKey returns a key no other test run uses, and deletes it afterwards.
func uniqueKey(t *testing.T) Key {
	k := Key{ID: fmt.Sprintf("test-%d-%d", os.Getpid(), time.Now().UnixNano()), Label: "ca-helper test " + t.Name()}
	t.Cleanup(func() { gokeyring.Delete(Service, k.ID) })
	return k
}

func TestSecretServiceRoundTrip(t *testing.T) {
	requireSecretService(t)
	s, w := openStore(t, "keyring", keyringtest.CacheDir(t))
	k := uniqueKey(t)
	tok := strings.Repeat("t", 1500) // the size of a real CodeArtifact token

	start := time.Now()
	if _, err := s.Get(k); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get before Set = %v, want ErrNotFound", err)
	}
	miss := time.Since(start)
	start = time.Now()
	if err := s.Set(k, entry(tok)); err != nil {
		t.Fatal(err)
	}
	set := time.Since(start)
	start = time.Now()
	got, err := s.Get(k)
	hit := time.Since(start)
	if err != nil || got.Token.Reveal() != tok {
		t.Fatalf("Get = %v, %v", got, err)
	}
	t.Logf("secret service: Get miss %v, Set %v, Get hit %v", miss, set, hit)

	raw, err := gokeyring.Get(Service, k.ID)
	if want, _ := Encode(entry(tok)); err != nil || raw != string(want) {
		t.Errorf("go-keyring holds %.40q…, %v; want the Encode form", raw, err)
	}
	if items, err := s.List(); err != nil || len(itemsOf(items, k)) != 1 || itemsOf(items, k)[0].Key != k || itemsOf(items, k)[0].Backend != "keyring" {
		t.Errorf("List = %+v, %v", items, err)
	}
	if err := s.Delete(k); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(k); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after Delete = %v", err)
	}
	if err := s.Delete(k); err != nil {
		t.Errorf("second Delete = %v", err)
	}
	if w.String() != "" {
		t.Errorf("warnings: %s", w)
	}
}

func TestSecretServiceAuto(t *testing.T) {
	requireSecretService(t)
	dir := keyringtest.CacheDir(t)
	s, w := openStore(t, "auto", dir)
	k := uniqueKey(t)
	if _, err := s.Get(k); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get = %v, want ErrNotFound", err)
	}
	if s.Name() != "keyring" {
		t.Fatalf("Name() = %q after the probe, want keyring (warnings: %s)", s.Name(), w)
	}
	if err := s.Set(k, entry(secret)); err != nil {
		t.Fatal(err)
	}
	if _, err := gokeyring.Get(Service, k.ID); err != nil {
		t.Errorf("token not in the keyring: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, k.ID+".json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("token also in a file: %v", err)
	}
	if err := s.Delete(k); err != nil {
		t.Error(err)
	}
}

func TestSecretServiceTooBig(t *testing.T) {
	requireSecretService(t)
	tests := []struct {
		name  string
		limit int // maxKeyringItem during the test
		size  int
	}{
		{"600 KiB with the default limit", maxKeyringItem, 600 << 10},
		{"3000 bytes with the Windows limit", 2560, 3000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := maxKeyringItem
			maxKeyringItem = tt.limit
			t.Cleanup(func() { maxKeyringItem = old })
			dir := keyringtest.CacheDir(t)
			s, _ := openStore(t, "auto", dir)
			k := uniqueKey(t)
			big := strings.Repeat("B", tt.size)
			if err := s.Set(k, entry(big)); err != nil {
				t.Fatal(err)
			}
			if _, err := gokeyring.Get(Service, k.ID); !errors.Is(err, gokeyring.ErrNotFound) {
				t.Errorf("keyring has the big token: %v", err)
			}
			if got, err := s.Get(k); err != nil || got.Token.Reveal() != big {
				t.Errorf("Get = %d bytes, %v", len(got.Token.Reveal()), err)
			}
			if items, _ := itemsOfList(s, k); len(items) != 1 || items[0].Backend != "file" {
				t.Errorf("List = %+v, want one file item", items)
			}
			if s.Name() != "keyring" {
				t.Errorf("Name() = %q, want keyring", s.Name())
			}
		})
	}
}

// brokenBusChildEnv makes TestAutoBrokenBus do its work in a fresh process,
// as ca-helper would: go-keyring caches its D-Bus connection per process.
const brokenBusChildEnv = "CA_HELPER_TEST_BROKEN_BUS_CHILD"

func TestAutoBrokenBus(t *testing.T) {
	if os.Getenv(brokenBusChildEnv) != "" {
		brokenBusChild(t)
		return
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := keyringtest.CacheDir(t)
	cmd := exec.Command(exe, "-test.run=^TestAutoBrokenBus$", "-test.v")
	cmd.Env = append(os.Environ(), brokenBusChildEnv+"=1", "CA_HELPER_CACHE_DIR="+dir,
		"DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestAutoBrokenBus") {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, testKey.ID+".json")); err != nil {
		t.Errorf("no cache file: %v", err)
	}
}

func brokenBusChild(t *testing.T) {
	start := time.Now()
	defer func() {
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("Get, Set, Get with a broken bus took %v, want < 5s", took)
		}
	}()
	w := &warnings{}
	s, err := Open("auto", Options{Report: w.add})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(testKey); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get = %v, want ErrNotFound", err)
	}
	if err := s.Set(testKey, entry(secret)); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(testKey); err != nil || got.Token.Reveal() != secret {
		t.Fatalf("Get after Set = %v, %v", got, err)
	}
	if evs := w.all(); s.Name() != "file" || len(evs) != 1 || evs[0].Kind != KeyringUnavailable {
		t.Errorf("Name() = %q, events %v; want file after one KeyringUnavailable", s.Name(), evs)
	}
	ks, _ := Open("keyring", Options{})
	if _, err := ks.Get(testKey); !errors.Is(err, ErrUnavailable) {
		t.Errorf("keyring Get with a broken bus = %v, want ErrUnavailable", err)
	}
}
