package keyring

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/keyring/keyringtest"
)

// plantTemp writes a temp file as a write killed before its rename leaves
// it (WriteAtomic's name, a token inside), last modified age ago.
func plantTemp(t *testing.T, dir, random string, age time.Duration) string {
	t.Helper()
	p := filepath.Join(dir, "."+testKey.ID+".json.tmp-"+random)
	b, err := Encode(entry(secret))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	when := time.Now().Add(-age)
	if err := os.Chtimes(p, when, when); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestWriteSweepsLeftovers: every store that writes to the cache dir (an
// entry, or only the index) removes old temp files and keeps fresh ones.
func TestWriteSweepsLeftovers(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/fake")
	for _, kind := range []string{"file", "keyring", "auto"} {
		t.Run(kind, func(t *testing.T) {
			s, dir, _ := openFake(t, kind, &fakeKeyring{}, 0)
			old := plantTemp(t, dir, "1804289383", time.Hour)
			fresh := plantTemp(t, dir, "846930886", 0)
			if n := Leftovers(dir); n != 1 {
				t.Errorf("Leftovers = %d, want 1 (the fresh file may be a write under way)", n)
			}
			if err := s.Set(testKey, entry(secret)); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(old); !os.IsNotExist(err) {
				t.Errorf("old temp file after Set: %v", err)
			}
			if _, err := os.Stat(fresh); err != nil {
				t.Errorf("fresh temp file removed: %v", err)
			}
			if n := Leftovers(dir); n != 0 {
				t.Errorf("Leftovers after Set = %d", n)
			}
		})
	}
}

func TestSweepLeftovers(t *testing.T) {
	dir := keyringtest.CacheDir(t)
	old := plantTemp(t, dir, "1", time.Hour)
	if err := SweepLeftovers(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("old temp file after SweepLeftovers: %v", err)
	}
	if err := SweepLeftovers(filepath.Join(dir, "missing")); err != nil {
		t.Errorf("SweepLeftovers of a missing dir = %v", err)
	}
}

// TestLeftoversInRefusedDir: nothing in a dir open to others is counted or
// removed, as nothing in it is read.
func TestLeftoversInRefusedDir(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no mode bits to refuse")
	}
	dir := keyringtest.CacheDir(t)
	old := plantTemp(t, dir, "1", time.Hour)
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if n := Leftovers(dir); n != 0 {
		t.Errorf("Leftovers in a refused dir = %d", n)
	}
	SweepLeftovers(dir)
	if _, err := os.Stat(old); err != nil {
		t.Errorf("SweepLeftovers touched a refused dir: %v", err)
	}
}
