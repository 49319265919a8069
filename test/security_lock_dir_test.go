//go:build linux

package test

// No lock in a cache dir that was refused; lock files are 0600.

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
	"github.com/ca-helper/ca-helper/test/testenv"
)

// TestRefusedCacheDirTakesNoLock: the cache dir is owned by another user, as
// a shared dir in /tmp may be. ca-helper refuses to cache there, and must not
// take its lock there either: that user could hold the lock file and stall
// every get. Lock files it does create are 0600.
func TestRefusedCacheDirTakesNoLock(t *testing.T) {
	if os.Getuid() != 0 {
		testenv.Missing(t, "needs root to give the cache dir to another user (fix: run the tests as root, as CI does)")
	}
	h := newHarness(t, fake.Options{})
	h.mustGet()
	lockName := strings.TrimSuffix(filepath.Base(entryPath(t, h)), ".json") + ".lock"

	const nobody = 65534
	shared := filepath.Join(t.TempDir(), "shared-cache")
	if err := os.Mkdir(shared, 0o777); err != nil {
		t.Fatal(err)
	}
	os.Chmod(shared, 0o777) // past the umask: anyone may create files, as in /tmp
	held, err := os.OpenFile(filepath.Join(shared, lockName), os.O_RDWR|os.O_CREATE, 0o666)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	if err := syscall.Flock(int(held.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{shared, held.Name()} {
		if err := os.Chown(p, nobody, nobody); err != nil {
			t.Fatal(err)
		}
	}

	h.env["CA_HELPER_CACHE_DIR"] = shared
	r := h.run("ca-helper", "get")
	t.Logf("get in a dir owned by uid %d: exit %d after %s, stderr %q", nobody, r.code, r.took.Round(time.Millisecond), r.stderr)
	if r.code != 0 || !h.fake.ValidToken(strings.TrimSuffix(r.stdout, "\n")) {
		t.Fatalf("want a token: %s", r)
	}
	if r.took > 10*time.Second || strings.Contains(r.stderr, "refresh lock") {
		t.Errorf("get waited for a lock in the refused dir: %s", r)
	}
	if names := dirNames(t, shared); len(names) != 1 || names[0] != lockName {
		t.Errorf("get created files in the refused dir: %v", names)
	}

	// In the accepted dir, the lock file of a get that is fetching is 0600.
	h.env["CA_HELPER_CACHE_DIR"] = h.cache
	h.run("ca-helper", "erase")
	h.fake.SetFault(fake.Fault{Kind: fake.Hang, Times: 1})
	p := h.start("ca-helper", "get")
	waitFor(t, "the token call", func() bool { return h.fake.TokenCalls() == 3 })
	fi, err := os.Stat(filepath.Join(h.cache, lockName))
	if err != nil {
		t.Fatalf("no lock file while fetching: %v", err)
	}
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Errorf("lock file mode %04o, want 0600", mode)
	}
	p.signal(t, syscall.SIGKILL, true)
	p.wait(t)
}

// dirNames lists the names in dir.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	return names
}
