//go:build unix

package keyring

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/keyring/keyringtest"
)

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func TestFileStoreModes(t *testing.T) {
	old := syscall.Umask(0) // a careless umask must not widen anything
	t.Cleanup(func() { syscall.Umask(old) })
	dir := filepath.Join(t.TempDir(), "a", "ca-helper")
	s, _ := openStore(t, "file", dir)
	if err := s.Set(testKey, entry(secret)); err != nil {
		t.Fatal(err)
	}
	if _, err := Lock(t.Context(), dir, testKey, 0); err != nil {
		t.Fatal(err)
	}
	checks := map[string]os.FileMode{
		dir:                                    0o700,
		filepath.Join(dir, testKey.ID+".json"): 0o600,
		filepath.Join(dir, "index.json"):       0o600,
		filepath.Join(dir, testKey.ID+".lock"): 0o600,
	}
	for path, want := range checks {
		if got := mode(t, path); got != want {
			t.Errorf("mode of %s = %04o, want %04o", path, got, want)
		}
	}
}

func TestFileStoreRefusesOpenDir(t *testing.T) {
	for _, perm := range []os.FileMode{0o755, 0o750, 0o701, 0o777} {
		dir := filepath.Join(t.TempDir(), "cache")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		good, _ := Encode(entry(secret))
		if err := os.WriteFile(filepath.Join(dir, testKey.ID+".json"), good, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, perm); err != nil {
			t.Fatal(err)
		}
		s, w := openStore(t, "file", dir)
		if _, err := s.Get(testKey); !errors.Is(err, ErrNotFound) {
			t.Errorf("%04o: Get = %v, want ErrNotFound", perm, err)
		}
		err := s.Set(testKey, entry("new-token"))
		if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "chmod 700") {
			t.Errorf("%04o: Set = %v, want ErrUnavailable with a fix", perm, err)
		}
		if raw, _ := os.ReadFile(filepath.Join(dir, testKey.ID+".json")); !strings.Contains(string(raw), "SECRET") {
			t.Errorf("%04o: Set wrote into the refused dir", perm)
		}
		if !strings.Contains(w.String(), "ignoring cache dir") || !strings.Contains(w.String(), fmt.Sprintf("mode %04o", perm)) {
			t.Errorf("%04o: warnings = %q", perm, w)
		}
		if strings.Count(w.String(), "\n") != 0 {
			t.Errorf("%04o: warned more than once: %q", perm, w)
		}
	}
}

func TestFileStoreRefusesForeignDir(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("giving a dir to another uid needs root")
	}
	dir := keyringtest.CacheDir(t)
	if err := os.Chown(dir, 4242, 4242); err != nil {
		t.Fatal(err)
	}
	s, w := openStore(t, "file", dir)
	if err := s.Set(testKey, entry(secret)); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Set into a dir of uid 4242 = %v, want ErrUnavailable", err)
	}
	if !strings.Contains(w.String(), "owned by uid 4242") {
		t.Errorf("warnings = %q", w)
	}
}

func TestFileStoreDoesNotFollowSymlinks(t *testing.T) {
	dir := keyringtest.CacheDir(t)
	other := filepath.Join(t.TempDir(), "victim")
	planted, _ := Encode(entry("PLANTED-token"))
	if err := os.WriteFile(other, planted, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, testKey.ID+".json")
	if err := os.Symlink(other, link); err != nil {
		t.Fatal(err)
	}
	s, _ := openStore(t, "file", dir)
	if got, err := s.Get(testKey); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get through a symlink = %v, %v; want ErrNotFound", got, err)
	}
	if err := s.Set(testKey, entry(secret)); err != nil {
		t.Fatal(err)
	}
	if raw, _ := os.ReadFile(other); string(raw) != string(planted) {
		t.Errorf("Set wrote through the symlink: victim now holds %q", raw)
	}
	if fi, err := os.Lstat(link); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("entry path after Set: %v, %v; want a regular file", fi.Mode(), err)
	}
	if got, err := s.Get(testKey); err != nil || got.Token.Reveal() != secret {
		t.Errorf("Get after Set = %v, %v", got, err)
	}
}

func TestFileStoreFIFODoesNotBlock(t *testing.T) {
	dir := keyringtest.CacheDir(t)
	if err := syscall.Mkfifo(filepath.Join(dir, testKey.ID+".json"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, _ := openStore(t, "file", dir)
	done := make(chan error, 1)
	go func() { _, err := s.Get(testKey); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("Get of a FIFO = %v, want ErrNotFound", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Get blocked on a FIFO")
	}
}
