//go:build unix && !aix

package lock

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/ca-helper/ca-helper/keyring/keyringtest"
)

// TestLockFileIsPrivate: a lock file is created 0600 whatever the umask, so
// no other user can open it and hold the lock. Package keyring takes its
// locks here, and so does `ca-helper settings` next to settings.xml, in a
// dir that need not be private.
func TestLockFileIsPrivate(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	dir := keyringtest.CacheDir(t)
	unlock, err := Acquire(t.Context(), dir, testName, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	fi, err := os.Stat(filepath.Join(dir, testName))
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Errorf("lock file mode %04o, want 0600", mode)
	}
}
