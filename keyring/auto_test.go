package keyring

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gokeyring "github.com/zalando/go-keyring"

	"github.com/ca-helper/ca-helper/keyring/keyringtest"
	"github.com/ca-helper/ca-helper/keyring/oskeyring"
)

// fakeKeyring stands in for go-keyring: a map, optionally slow or failing,
// searchable like the Secret Service unless noListing (macOS, Windows).
type fakeKeyring struct {
	mu        sync.Mutex
	items     map[string]string
	delay     time.Duration
	err       error
	calls     int
	noListing bool
}

func (f *fakeKeyring) do(fn func()) error {
	f.mu.Lock()
	f.calls++
	delay, err := f.delay, f.err
	f.mu.Unlock()
	time.Sleep(delay)
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	fn()
	return nil
}

func (f *fakeKeyring) Get(service, user string) (v string, err error) {
	ok := false
	if err := f.do(func() { v, ok = f.items[service+"/"+user] }); err != nil {
		return "", err
	}
	if !ok {
		return "", gokeyring.ErrNotFound
	}
	return v, nil
}

func (f *fakeKeyring) Set(service, user, secret string) error {
	return f.do(func() { f.items[service+"/"+user] = secret })
}

func (f *fakeKeyring) Delete(service, user string) error {
	ok := false
	if err := f.do(func() { _, ok = f.items[service+"/"+user]; delete(f.items, service+"/"+user) }); err != nil {
		return err
	}
	if !ok {
		return gokeyring.ErrNotFound
	}
	return nil
}

func (f *fakeKeyring) DeleteAll(service string) error {
	return f.do(func() {
		for k := range f.items {
			if strings.HasPrefix(k, service+"/") {
				delete(f.items, k)
			}
		}
	})
}

func (f *fakeKeyring) Users(service string) (users []string, err error) {
	if f.noListing {
		return nil, oskeyring.ErrNoListing
	}
	err = f.do(func() {
		for k := range f.items {
			if u, ok := strings.CutPrefix(k, service+"/"); ok {
				users = append(users, u)
			}
		}
	})
	return users, err
}

func (f *fakeKeyring) count() int { f.mu.Lock(); defer f.mu.Unlock(); return f.calls }

// openFake opens kind with fake in place of the OS keyring.
func openFake(t *testing.T, kind string, fake *fakeKeyring, timeout time.Duration) (Store, string, *warnings) {
	t.Helper()
	if fake.items == nil {
		fake.items = map[string]string{}
	}
	dir, w := keyringtest.CacheDir(t), &warnings{}
	s, err := Open(kind, Options{Dir: dir, Timeout: timeout, Report: w.add})
	if err != nil {
		t.Fatal(err)
	}
	switch s := s.(type) {
	case *autoStore:
		s.kr.api = fake
	case *keyringStore:
		s.api = fake
	}
	return s, dir, w
}

func TestAutoUsesAnsweringKeyring(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/fake")
	fake := &fakeKeyring{}
	s, dir, w := openFake(t, "auto", fake, 0)
	if _, err := s.Get(testKey); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get = %v, want ErrNotFound", err)
	}
	if err := s.Set(testKey, entry(secret)); err != nil {
		t.Fatal(err)
	}
	if s.Name() != "keyring" {
		t.Errorf("Name() = %q, want keyring", s.Name())
	}
	if want, _ := Encode(entry(secret)); fake.items["ca-helper/"+testKey.ID] != string(want) {
		t.Errorf("keyring holds %q", fake.items["ca-helper/"+testKey.ID])
	}
	if _, err := os.Stat(filepath.Join(dir, testKey.ID+".json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("token also written to a file: %v", err)
	}
	if got, err := s.Get(testKey); err != nil || got.Token.Reveal() != secret {
		t.Errorf("Get = %v, %v", got, err)
	}
	items, err := s.List()
	if err != nil || len(items) != 1 || items[0].Key != testKey || items[0].Backend != "keyring" {
		t.Errorf("List = %+v, %v", items, err)
	}
	if err := s.Delete(testKey); err != nil || len(fake.items) != 0 {
		t.Errorf("Delete = %v, keyring left with %d items", err, len(fake.items))
	}
	if items, _ := s.List(); len(items) != 0 {
		t.Errorf("List after Delete = %+v", items)
	}
	if w.String() != "" {
		t.Errorf("warnings: %s", w)
	}
}

func TestAutoFallsBackToFile(t *testing.T) {
	tests := []struct {
		name    string
		bus     string
		fake    *fakeKeyring
		maxWait time.Duration
		calls   int
		cause   string // in the KeyringUnavailable event; "" means no event
	}{
		{"no session bus", "", &fakeKeyring{}, 3 * time.Second, 0, ""},
		{"autolaunch bus", "autolaunch:", &fakeKeyring{}, 3 * time.Second, 0, ""},
		// Options.Timeout is 10s, but the probe is capped at 1s.
		{"keyring hangs", "unix:path=/fake", &fakeKeyring{delay: 20 * time.Second}, 5 * time.Second, 1, "did not answer"},
		{"keyring fails", "unix:path=/fake", &fakeKeyring{err: errors.New("org.freedesktop.DBus.Error.ServiceUnknown")}, 3 * time.Second, 1, "ServiceUnknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("DBUS_SESSION_BUS_ADDRESS", tt.bus)
			s, dir, w := openFake(t, "auto", tt.fake, 10*time.Second)
			start := time.Now()
			if _, err := s.Get(testKey); !errors.Is(err, ErrNotFound) {
				t.Fatalf("Get = %v, want ErrNotFound", err)
			}
			if err := s.Set(testKey, entry(secret)); err != nil {
				t.Fatal(err)
			}
			if got, err := s.Get(testKey); err != nil || got.Token.Reveal() != secret {
				t.Errorf("Get after Set = %v, %v", got, err)
			}
			if took := time.Since(start); took > tt.maxWait {
				t.Errorf("Get, Set, Get took %v, want < %v", took, tt.maxWait)
			}
			if s.Name() != "file" {
				t.Errorf("Name() = %q, want file", s.Name())
			}
			if _, err := os.Stat(filepath.Join(dir, testKey.ID+".json")); err != nil {
				t.Errorf("no cache file: %v", err)
			}
			if n := tt.fake.count(); n != tt.calls {
				t.Errorf("keyring called %d times, want %d", n, tt.calls)
			}
			evs := w.all()
			if tt.cause == "" && len(evs) != 0 {
				t.Errorf("events = %v, want none: auto chose files at Open", evs)
			}
			if tt.cause != "" && (len(evs) != 1 || evs[0].Kind != KeyringUnavailable ||
				!errors.Is(evs[0].Err, ErrUnavailable) || !strings.Contains(evs[0].Err.Error(), tt.cause)) {
				t.Errorf("events = %v, want one KeyringUnavailable wrapping ErrUnavailable, caused by %q", evs, tt.cause)
			}
		})
	}
}

func TestAutoTooBigGoesToFile(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/fake")
	old := maxKeyringItem
	maxKeyringItem = 2560 // what Windows allows
	t.Cleanup(func() { maxKeyringItem = old })
	fake := &fakeKeyring{}
	s, dir, w := openFake(t, "auto", fake, 0)
	if err := s.Set(testKey, entry(secret)); err != nil { // small: keyring
		t.Fatal(err)
	}
	big := strings.Repeat("B", 3000)
	if err := s.Set(testKey, entry(big)); err != nil {
		t.Fatal(err)
	}
	if evs := w.all(); len(evs) != 1 || evs[0].Kind != MovedToFile || evs[0].Key != testKey || !errors.Is(evs[0].Err, ErrTooBig) {
		t.Errorf("events = %v, want one MovedToFile of %s wrapping ErrTooBig", evs, testKey.ID)
	}
	if strings.Contains(w.String(), big) {
		t.Errorf("warning shows the token: %q", w)
	}
	if len(fake.items) != 0 {
		t.Errorf("older keyring copy not deleted")
	}
	if _, err := os.Stat(filepath.Join(dir, testKey.ID+".json")); err != nil {
		t.Errorf("big token not in a file: %v", err)
	}
	if got, err := s.Get(testKey); err != nil || got.Token.Reveal() != big {
		t.Errorf("Get = %d bytes, %v", len(got.Token.Reveal()), err)
	}
	if items, err := s.List(); err != nil || len(items) != 1 || items[0].Backend != "file" || items[0].Key.Label != testKey.Label {
		t.Errorf("List = %+v, %v", items, err)
	}
	if s.Name() != "keyring" {
		t.Errorf("Name() = %q: a big token must not switch the store to files", s.Name())
	}
	if err := s.Set(testKey, entry(secret)); err != nil { // small again: back to keyring, file dropped
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, testKey.ID+".json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale file copy kept: %v", err)
	}
}

func TestKeyringStoreTimeout(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/fake")
	fake := &fakeKeyring{delay: 2 * time.Second}
	s, _, _ := openFake(t, "keyring", fake, 200*time.Millisecond)
	start := time.Now()
	_, err := s.Get(testKey)
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "did not answer (get) within 200ms") {
		t.Errorf("Get = %v, want ErrUnavailable saying it did not answer within 200ms", err)
	}
	if err := s.Set(testKey, entry(secret)); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Set after a timeout = %v, want ErrUnavailable", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("two calls took %v: neither may wait for the 2s keyring", took)
	}
	if fake.count() != 1 {
		t.Errorf("keyring called %d times, want 1", fake.count())
	}
}

func TestKeyringStoreErrors(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/fake")
	fake := &fakeKeyring{items: map[string]string{"ca-helper/" + testKey.ID: `{"v":9}`}}
	s, _, _ := openFake(t, "keyring", fake, 0)
	if _, err := s.Get(testKey); !errors.Is(err, ErrNotFound) || !errors.Is(err, ErrCorrupt) {
		t.Errorf("Get of a corrupt value = %v, want ErrNotFound and ErrCorrupt", err)
	}
	if err := s.Delete(Key{ID: "absent"}); err != nil {
		t.Errorf("Delete of a missing entry = %v", err)
	}
	fake.err = gokeyring.ErrSetDataTooBig
	if err := s.Set(testKey, entry(secret)); !errors.Is(err, ErrTooBig) {
		t.Errorf("Set = %v, want ErrTooBig", err)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	if _, err := s.Get(testKey); !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "DBUS_SESSION_BUS_ADDRESS") {
		t.Errorf("Get without a bus = %v, want ErrUnavailable naming DBUS_SESSION_BUS_ADDRESS", err)
	}
}

func TestAutoDeleteUnreachableKeyringEntry(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/fake")
	fake := &fakeKeyring{}
	s, dir, _ := openFake(t, "auto", fake, 0)
	if err := s.Set(testKey, entry(secret)); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "") // a later run without the desktop session
	later, _ := openStore(t, "auto", dir)
	if items, _ := later.List(); len(items) != 1 || items[0].Backend != "keyring" {
		t.Errorf("List = %+v, want the keyring entry", items)
	}
	if err := later.Delete(testKey); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Delete = %v, want ErrUnavailable: the token is still in the keyring", err)
	}
	if err := later.Delete(Key{ID: "never-stored"}); err != nil {
		t.Errorf("Delete of an unknown key = %v", err)
	}
}
