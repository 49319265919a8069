package keyring

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/ca-helper/ca-helper/keyring/keyringtest"
)

// warnings collects what a store passes to Options.Report.
type warnings struct {
	mu     sync.Mutex
	events []Event
}

func (w *warnings) add(ev Event) { w.mu.Lock(); w.events = append(w.events, ev); w.mu.Unlock() }

// all returns the events reported so far, in order.
func (w *warnings) all() []Event {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Event(nil), w.events...)
}

// String is the warnings a user would see, one a line.
func (w *warnings) String() string {
	var msgs []string
	for _, ev := range w.all() {
		msgs = append(msgs, ev.String())
	}
	return strings.Join(msgs, "\n")
}

func openStore(t *testing.T, kind, dir string) (Store, *warnings) {
	t.Helper()
	w := &warnings{}
	s, err := Open(kind, Options{Dir: dir, Report: w.add})
	if err != nil {
		t.Fatal(err)
	}
	return s, w
}

func TestFileStoreRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	s, w := openStore(t, "file", dir)
	if s.Name() != "file" {
		t.Errorf("Name() = %q", s.Name())
	}
	if _, err := s.Get(testKey); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get before Set: %v, want ErrNotFound", err)
	}
	if err := s.Set(testKey, entry(secret)); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(testKey)
	if err != nil || got.Token.Reveal() != secret || !got.Expiration.Equal(entry(secret).Expiration) {
		t.Fatalf("Get = %v, %v", got, err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, testKey.ID+".json"))
	if want, _ := Encode(entry(secret)); err != nil || string(raw) != string(want) {
		t.Errorf("file holds %s, %v; want %s", raw, err, want)
	}
	idx, _ := os.ReadFile(filepath.Join(dir, "index.json"))
	if strings.Contains(string(idx), "SECRET") || !strings.Contains(string(idx), testKey.Label) {
		t.Errorf("index.json = %s", idx)
	}
	items, err := s.List()
	if err != nil || len(items) != 1 || items[0].Key != testKey || items[0].Backend != "file" ||
		!items[0].Expiration.Equal(entry(secret).Expiration) {
		t.Errorf("List = %+v, %v", items, err)
	}
	keyringtest.NoTempFiles(t, dir)
	for range 2 { // deleting twice: the second is a no-op
		if err := s.Delete(testKey); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Get(testKey); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after Delete: %v", err)
	}
	if items, err := s.List(); err != nil || len(items) != 0 {
		t.Errorf("List after Delete = %+v, %v", items, err)
	}
	if w.String() != "" {
		t.Errorf("unexpected warnings: %s", w)
	}
}

func TestFileStoreCorruptIsMissThenReplaced(t *testing.T) {
	tests := map[string][]byte{
		"garbage":          []byte("not json at all"),
		"version 2":        []byte(`{"v":2,"token":"abc","expiration":"2026-05-20T20:00:00Z","fetched":"2026-05-20T12:00:00Z"}`),
		"empty":            {},
		"oversize garbage": []byte(strings.Repeat("A", maxEntrySize+1)),
		// valid JSON, so only the read cap makes it a miss
		"oversize entry": []byte(`{"v":1,"token":"` + strings.Repeat("A", maxEntrySize) +
			`","expiration":"2099-01-01T00:00:00Z","fetched":"2026-01-01T00:00:00Z"}`),
	}
	for name, content := range tests {
		t.Run(name, func(t *testing.T) {
			dir := keyringtest.CacheDir(t)
			s, _ := openStore(t, "file", dir)
			path := filepath.Join(dir, testKey.ID+".json")
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Get(testKey); !errors.Is(err, ErrNotFound) {
				t.Fatalf("Get of %s file: %v, want ErrNotFound", name, err)
			}
			if items, _ := s.List(); len(items) != 0 {
				t.Errorf("List shows a %s file: %+v", name, items)
			}
			if err := s.Set(testKey, entry(secret)); err != nil {
				t.Fatal(err)
			}
			if got, err := s.Get(testKey); err != nil || got.Token.Reveal() != secret {
				t.Errorf("Get after Set = %v, %v", got, err)
			}
		})
	}
}

func TestFileStoreRefusesOversizeToken(t *testing.T) {
	s, _ := openStore(t, "file", keyringtest.CacheDir(t))
	err := s.Set(testKey, entry(strings.Repeat("x", maxEntrySize)))
	if !errors.Is(err, ErrTooBig) {
		t.Errorf("Set of a %d byte token: %v, want ErrTooBig", maxEntrySize, err)
	}
}

func TestFileStoreFailedSetLeavesNoTempFile(t *testing.T) {
	dir := keyringtest.CacheDir(t)
	// A non-empty directory at the entry path makes the final rename fail.
	if err := os.MkdirAll(filepath.Join(dir, testKey.ID+".json", "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	s, _ := openStore(t, "file", dir)
	if err := s.Set(testKey, entry(secret)); err == nil {
		t.Fatal("Set over a directory succeeded")
	} else if strings.Contains(err.Error(), "SECRET") {
		t.Errorf("error shows the token: %v", err)
	}
	keyringtest.NoTempFiles(t, dir)
}

func TestFileStoreConcurrentSet(t *testing.T) {
	dir := keyringtest.CacheDir(t)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, _ := openStore(t, "file", dir) // one store per "process"
			errs <- s.Set(testKey, entry(fmt.Sprintf("token-%02d-%s", i, strings.Repeat("z", 1500))))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	s, _ := openStore(t, "file", dir)
	got, err := s.Get(testKey)
	if err != nil || !strings.HasPrefix(got.Token.Reveal(), "token-") || len(got.Token.Reveal()) != 1509 {
		t.Errorf("after concurrent Set: Get = %d bytes, %v", len(got.Token.Reveal()), err)
	}
	keyringtest.NoTempFiles(t, dir)
}

func TestNoneStore(t *testing.T) {
	s, _ := openStore(t, "none", keyringtest.CacheDir(t))
	if s.Name() != "none" {
		t.Errorf("Name() = %q", s.Name())
	}
	if err := s.Set(testKey, entry(secret)); err != nil {
		t.Error(err)
	}
	if _, err := s.Get(testKey); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get = %v, want ErrNotFound", err)
	}
	if items, err := s.List(); err != nil || len(items) != 0 {
		t.Errorf("List = %v, %v", items, err)
	}
	if err := s.Delete(testKey); err != nil {
		t.Error(err)
	}
}

func TestOpen(t *testing.T) {
	for kind, want := range map[string]string{"none": "none", "file": "file", "keyring": "keyring"} {
		s, err := Open(kind, Options{Dir: t.TempDir()})
		if err != nil || s.Name() != want {
			t.Errorf("Open(%q) = %v, %v", kind, s, err)
		}
	}
	for _, kind := range []string{"", "Keyring", "memory"} {
		if _, err := Open(kind, Options{}); err == nil {
			t.Errorf("Open(%q) succeeded", kind)
		}
	}
}

func TestDefaultDir(t *testing.T) {
	tmp := t.TempDir()
	home := filepath.Join(tmp, "home")
	userCache := filepath.Join(home, ".cache") // Linux and the other Unixes
	switch runtime.GOOS {
	case "darwin":
		userCache = filepath.Join(home, "Library", "Caches")
	case "windows":
		userCache = filepath.Join(tmp, "local")
	}
	tests := []struct {
		name string
		env  map[string]string
		want string // "" = an error
	}{
		{"explicit", map[string]string{"CA_HELPER_CACHE_DIR": filepath.Join(tmp, "explicit"), "XDG_RUNTIME_DIR": filepath.Join(tmp, "run")},
			filepath.Join(tmp, "explicit")},
		{"runtime dir", map[string]string{"XDG_RUNTIME_DIR": filepath.Join(tmp, "run"), "HOME": home}, filepath.Join(tmp, "run", "ca-helper")},
		{"relative runtime dir is ignored", map[string]string{"XDG_RUNTIME_DIR": "relative/run", "HOME": home, "LocalAppData": userCache},
			filepath.Join(userCache, "ca-helper")},
		{"user cache dir", map[string]string{"HOME": home, "LocalAppData": userCache}, filepath.Join(userCache, "ca-helper")},
		{"no home at all", map[string]string{}, ""},
	}
	for _, tt := range tests {
		got, err := DefaultDir(func(k string) string { return tt.env[k] })
		if tt.want == "" {
			if !errors.Is(err, ErrNoDir) || !strings.Contains(err.Error(), "CA_HELPER_CACHE_DIR") {
				t.Errorf("%s: DefaultDir = %q, %v; want ErrNoDir naming CA_HELPER_CACHE_DIR", tt.name, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s: DefaultDir = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
	if runtime.GOOS == "linux" {
		want := filepath.Join(tmp, "xdg-cache", "ca-helper")
		if got, _ := DefaultDir(func(k string) string { return map[string]string{"XDG_CACHE_HOME": filepath.Join(tmp, "xdg-cache")}[k] }); got != want {
			t.Errorf("XDG_CACHE_HOME: DefaultDir = %q, want %q", got, want)
		}
	}
}
