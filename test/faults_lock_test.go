//go:build linux || darwin

package test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// TestLockOfKilledGetDoesNotBlock kills a get (and its ca-helper-aws) while
// it holds the refresh lock in a hung fetch. The lock file it leaves is no
// lock: the next get neither waits for it nor warns, and removes it.
func TestLockOfKilledGetDoesNotBlock(t *testing.T) {
	h := newHarness(t, fake.Options{})
	h.fake.SetFault(fake.Fault{Kind: fake.Hang, Times: 1})
	p := h.start("ca-helper", "get")
	waitFor(t, "the token call", func() bool { return h.fake.TokenCalls() == 1 })
	name, ok := h.lockFile()
	if !ok {
		t.Fatalf("want one lock file while fetching, have %q", name)
	}
	p.signal(t, syscall.SIGKILL, true)
	if r := p.wait(t); r.code != -1 {
		t.Fatalf("the killed get: %s", r)
	}
	if !fileExists(filepath.Join(h.cache, name)) {
		t.Fatal("SIGKILL left no lock file: nothing stale to test with")
	}
	r := h.run("ca-helper", "get", "--timeout", "20s")
	t.Logf("get after the kill: exit %d after %s", r.code, r.took.Round(time.Millisecond))
	if r.code != 0 || !h.fake.ValidToken(strings.TrimSuffix(r.stdout, "\n")) || r.stderr != "" {
		t.Fatalf("want a token and a quiet stderr: %s", r)
	}
	if fileExists(filepath.Join(h.cache, name)) {
		t.Error("the stale lock file is still there after a get")
	}
}

// TestLockHeldForeverProceedsAlone: another process holds the lock and never
// lets go; get waits --timeout, warns, fetches alone and prints the token.
func TestLockHeldForeverProceedsAlone(t *testing.T) {
	h := newHarness(t, fake.Options{})
	release := holdLock(t, h)
	defer release()
	r := h.run("ca-helper", "get", "--timeout", "2s")
	t.Logf("exit %d after %s, stderr %q", r.code, r.took.Round(time.Millisecond), r.stderr)
	if r.code != 0 || !h.fake.ValidToken(strings.TrimSuffix(r.stdout, "\n")) {
		t.Fatalf("want a token: %s", r)
	}
	if !strings.Contains(r.stderr, "ca-helper: warning: going ahead without the refresh lock") || r.took < 2*time.Second {
		t.Errorf("want the bounded wait of --timeout 2s and a warning: %s", r)
	}
	if cacheEntries(t, h) != 1 {
		t.Error("the token fetched alone was not cached")
	}
}

// holdLock takes, from the test process, the flock a get of the harness's
// default target takes, as a stuck process would. It learns the lock file's
// name from a first get (entry ID.json, lock ID.lock) and erases that token.
func holdLock(t *testing.T, h *harness) (release func()) {
	t.Helper()
	h.mustGet()
	name := strings.TrimSuffix(filepath.Base(entryPath(t, h)), ".json") + ".lock"
	if r := h.run("ca-helper", "erase"); r.code != 0 {
		t.Fatalf("erase: %s", r)
	}
	f, err := os.OpenFile(filepath.Join(h.cache, name), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	return func() { f.Close() }
}
