//go:build unix

package test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ca-helper/ca-helper/keyring"
	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// TestCorruptCacheEntryIsRefetchedAndReplaced plants broken entry files where
// the file backend keeps the token: each is a miss that the next get replaces
// with a complete entry.
func TestCorruptCacheEntryIsRefetchedAndReplaced(t *testing.T) {
	cases := []struct {
		name    string
		content func(good []byte) []byte
	}{
		{"garbage", func([]byte) []byte { return []byte("this is not json {{{") }},
		{"truncated", func(good []byte) []byte { return good[:len(good)/2] }},
		{"empty", func([]byte) []byte { return nil }},
		{"wrong version", func(good []byte) []byte { return []byte(strings.Replace(string(good), `"v":1`, `"v":2`, 1)) }},
		{"missing token", func([]byte) []byte {
			return []byte(`{"v":1,"expiration":"2999-01-01T00:00:00Z","fetched":"2020-01-01T00:00:00Z"}`)
		}},
		{"trailing data", func(good []byte) []byte { return append(append([]byte{}, good...), good...) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, fake.Options{})
			first := h.mustGet()
			path := entryPath(t, h)
			good, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, tc.content(good), 0o600); err != nil {
				t.Fatal(err)
			}
			r := h.run("ca-helper", "get")
			tok := strings.TrimSuffix(r.stdout, "\n")
			if r.code != 0 || tok == first || !h.fake.ValidToken(tok) || h.fake.TokenCalls() != 2 {
				t.Fatalf("want a new token from a second call (calls %d): %s", h.fake.TokenCalls(), r)
			}
			if e := decodeEntry(t, path); e.Token.Reveal() != tok {
				t.Error("the entry file does not hold the token just printed")
			}
			if again := h.mustGet(); again != tok || h.fake.TokenCalls() != 2 {
				t.Error("the replaced entry is not served from the cache")
			}
		})
	}
}

// TestUnsafeCacheDirIsNotTrusted: a cache dir that others can read or that
// someone else owns is neither read nor written; get still works, uncached.
func TestUnsafeCacheDirIsNotTrusted(t *testing.T) {
	cases := []struct {
		name    string
		spoil   func(dir string) error
		warning string
	}{
		{"mode 0755", func(dir string) error { return os.Chmod(dir, 0o755) }, "mode 0755 lets others in"},
		{"owned by nobody", func(dir string) error { return os.Chown(dir, 65534, 65534) }, "owned by uid 65534"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, fake.Options{})
			first := h.mustGet()
			path := entryPath(t, h)
			before, _ := os.ReadFile(path)
			if err := tc.spoil(h.cache); errors.Is(err, os.ErrPermission) {
				t.Skipf("cannot give the cache dir away without root: %v", err)
			} else if err != nil {
				t.Fatal(err)
			}
			for i := 2; i <= 3; i++ {
				r := h.run("ca-helper", "get")
				tok := strings.TrimSuffix(r.stdout, "\n")
				if r.code != 0 || tok == first || !h.fake.ValidToken(tok) || h.fake.TokenCalls() != i {
					t.Fatalf("get %d: want a fresh token from call %d (calls %d): %s", i, i, h.fake.TokenCalls(), r)
				}
				if !strings.Contains(r.stderr, "ca-helper: warning: ignoring cache dir "+h.cache) || !strings.Contains(r.stderr, tc.warning) {
					t.Errorf("get %d: no warning naming the dir and %q:\n%s", i, tc.warning, r.stderr)
				}
			}
			if after, _ := os.ReadFile(path); string(after) != string(before) {
				t.Error("the entry in the untrusted dir was rewritten")
			}
		})
	}
}

// TestSymlinkAtEntryPathIsNotFollowed plants a symlink to a valid entry of
// the same key elsewhere: reading through it would serve that token, writing
// through it would overwrite the target.
func TestSymlinkAtEntryPathIsNotFollowed(t *testing.T) {
	h := newHarness(t, fake.Options{})
	first := h.mustGet()
	path := entryPath(t, h)
	target := filepath.Join(h.home, "elsewhere.json")
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(target, good, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
	tok := h.mustGet()
	if tok == first || h.fake.TokenCalls() != 2 {
		t.Fatalf("the token behind the symlink was served (calls %d)", h.fake.TokenCalls())
	}
	if after, _ := os.ReadFile(target); string(after) != string(good) {
		t.Error("the symlink target was written through")
	}
	if fi, err := os.Lstat(path); err != nil || !fi.Mode().IsRegular() {
		t.Fatalf("entry path after get: %v, %v; want a regular file replacing the link", fi.Mode(), err)
	}
	if e := decodeEntry(t, path); e.Token.Reveal() != tok {
		t.Error("the new entry does not hold the printed token")
	}
}

// TestConcurrentWritersNeverTearTheEntry runs refreshing gets (no lock: each
// fetches and writes) while the test reads the entry file in a loop: every
// read must decode, and the final file must hold a token that was printed.
func TestConcurrentWritersNeverTearTheEntry(t *testing.T) {
	h := newHarness(t, fake.Options{})
	h.mustGet()
	path := entryPath(t, h)
	const writers = 24
	stop := make(chan struct{})
	reads, torn := 0, 0
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		for {
			select {
			case <-stop:
				return
			default:
			}
			b, err := os.ReadFile(path)
			if err != nil {
				continue // between unlink and rename cannot happen, but a read error is not a torn file
			}
			reads++
			if _, err := keyring.Decode(b); err != nil {
				torn++
			}
		}
	}()
	printed := make([]string, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := h.run("ca-helper", "get", "--refresh")
			if r.code != 0 {
				t.Errorf("writer %d: %s", i, r)
			}
			printed[i] = strings.TrimSuffix(r.stdout, "\n")
		}()
	}
	wg.Wait()
	close(stop)
	<-readerDone
	t.Logf("%d writers, %d reads of the entry while they ran", writers, reads)
	if torn != 0 {
		t.Errorf("%d of %d reads saw a torn entry", torn, reads)
	}
	final := decodeEntry(t, path).Token.Reveal()
	found := false
	for _, p := range printed {
		found = found || p == final
	}
	if !found {
		t.Error("the final entry holds no token a writer printed")
	}
	if tmp, _ := filepath.Glob(filepath.Join(h.cache, ".*")); len(tmp) != 0 {
		t.Errorf("temp files left: %v", tmp)
	}
}

// entryPath is the one cache entry file (not the index) in the cache dir.
func entryPath(t *testing.T, h *harness) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(h.cache, "*.json"))
	var entries []string
	for _, f := range files {
		if filepath.Base(f) != "index.json" {
			entries = append(entries, f)
		}
	}
	if len(entries) != 1 {
		t.Fatalf("want one cache entry, have %v", entries)
	}
	return entries[0]
}

func decodeEntry(t *testing.T, path string) keyring.Entry {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	e, err := keyring.Decode(b)
	if err != nil {
		t.Fatalf("%s does not decode: %v", path, err)
	}
	return e
}
