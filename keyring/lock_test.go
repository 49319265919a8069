package keyring

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/ca-helper/ca-helper/keyring/keyringtest"
)

// The lock itself is tested in package lock; Lock adds the key check and
// refuses a dir the stores refuse.
func TestLockRejectsBadKey(t *testing.T) {
	if _, err := Lock(t.Context(), keyringtest.CacheDir(t), Key{ID: "../escape"}, 0); err == nil {
		t.Error("Lock with ID ../escape succeeded")
	}
}

// TestLockRefusesDirOpenToOthers: no lock file is created or opened in a
// dir others can write to; Lock fails at once with ErrUnavailable.
func TestLockRefusesDirOpenToOthers(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no mode bits to refuse")
	}
	dir := keyringtest.CacheDir(t)
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	unlock, err := Lock(t.Context(), dir, testKey, 0)
	if err == nil {
		unlock()
		t.Fatal("Lock in a 0777 dir succeeded")
	}
	if !errors.Is(err, ErrUnavailable) {
		t.Errorf("Lock = %v, want ErrUnavailable", err)
	}
	if _, err := os.Lstat(filepath.Join(dir, testKey.ID+".lock")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lock file in the refused dir: %v", err)
	}
}

// TestLockCreatesPrivateDir: a missing cache dir is created 0700, as the
// stores create it, and locked in.
func TestLockCreatesPrivateDir(t *testing.T) {
	dir := filepath.Join(keyringtest.CacheDir(t), "new")
	unlock, err := Lock(t.Context(), dir, testKey, 0)
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	if fi, err := os.Stat(dir); err != nil || runtime.GOOS != "windows" && fi.Mode().Perm() != 0o700 {
		t.Errorf("cache dir = %v, %v; want a 0700 dir", fi, err)
	}
}
