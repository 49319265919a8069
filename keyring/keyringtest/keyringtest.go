// Package keyringtest has the checks the cache's tests share: a fresh private
// cache dir, and that nothing but cache and lock files is left in one.
package keyringtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// CacheDir returns a fresh private (0700) directory.
func CacheDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ca-helper")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	return dir
}

// NoTempFiles fails if anything but cache files (.json) and lock files is
// left in dir.
func NoTempFiles(t testing.TB, dir string) {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, de := range des {
		if n := de.Name(); !strings.HasSuffix(n, ".json") && !strings.HasSuffix(n, ".lock") || strings.HasPrefix(n, ".") {
			t.Errorf("left behind in cache dir: %s", n)
		}
	}
}
