package lock

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/keyring/keyringtest"
)

// lockChildEnv makes the test binary act as a process that takes the lock
// testName in the named dir, says "locked", and waits to be killed.
const lockChildEnv = "CA_HELPER_TEST_LOCK_CHILD"

// testName is the lock file of a cache key, as package keyring names it.
const testName = "my-domain-111122223333.eu-west-1.lock"

func TestMain(m *testing.M) {
	if dir := os.Getenv(lockChildEnv); dir != "" {
		if _, err := Acquire(context.Background(), dir, testName, 0); err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("locked")
		time.Sleep(time.Minute)
		os.Exit(3) // never reached when the parent kills us
	}
	os.Exit(m.Run())
}

func TestLockTimesOutWhileHeld(t *testing.T) {
	dir := keyringtest.CacheDir(t)
	unlock, err := Acquire(t.Context(), dir, testName, 0)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = Acquire(t.Context(), dir, testName, 300*time.Millisecond)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("second Lock = %v, want ErrTimeout", err)
	}
	if waited := time.Since(start); waited < 300*time.Millisecond || waited > 5*time.Second {
		t.Errorf("second Lock gave up after %v, want about 300ms", waited)
	}
	if u, err := Acquire(t.Context(), dir, "other-key.lock", 0); err != nil {
		t.Errorf("lock of another key blocked: %v", err)
	} else {
		u()
	}
	unlock()
	unlock() // a second unlock is harmless
	u2, err := Acquire(t.Context(), dir, testName, 0)
	if err != nil {
		t.Fatalf("Lock after unlock: %v", err)
	}
	u2()
	keyringtest.NoTempFiles(t, dir)
}

func TestLockWaitsForRelease(t *testing.T) {
	dir := keyringtest.CacheDir(t)
	unlock, err := Acquire(t.Context(), dir, testName, 0)
	if err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(200*time.Millisecond, unlock)
	start := time.Now()
	u2, err := Acquire(t.Context(), dir, testName, 5*time.Second)
	if err != nil {
		t.Fatalf("Lock while the holder releases: %v", err)
	}
	defer u2()
	if waited := time.Since(start); waited < 150*time.Millisecond || waited > 5*time.Second {
		t.Errorf("got the lock after %v, want about 200ms", waited)
	}
}

// TestLockStopsWaitingWhenContextEnds: Ctrl-C must not wait out --timeout.
func TestLockStopsWaitingWhenContextEnds(t *testing.T) {
	dir := keyringtest.CacheDir(t)
	unlock, err := Acquire(t.Context(), dir, testName, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	ctx, cancel := context.WithCancelCause(t.Context())
	stop := errors.New("interrupted")
	time.AfterFunc(100*time.Millisecond, func() { cancel(stop) })
	start := time.Now()
	_, err = Acquire(ctx, dir, testName, time.Minute)
	if !errors.Is(err, stop) || errors.Is(err, ErrTimeout) {
		t.Errorf("Lock = %v, want the context's cause", err)
	}
	if waited := time.Since(start); waited > 10*time.Second {
		t.Errorf("Lock gave up after %v; the context ended after 100ms", waited)
	}
}

func TestUnlockRemovesLockFile(t *testing.T) {
	dir := keyringtest.CacheDir(t)
	path := filepath.Join(dir, testName)
	unlock, err := Acquire(t.Context(), dir, testName, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("no lock file while held: %v", err)
	}
	unlock()
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lock file after unlock: %v, want it removed", err)
	}
}

// TestLockOfRemovedFileDoesNotCount replays the race that removing lock files
// opens: B opens the lock file, A (the holder) removes it and unlocks, C
// creates a new one and locks it, then B's lock on the old file is granted.
// B must see that its file is gone and not count that as holding the lock.
func TestLockOfRemovedFileDoesNotCount(t *testing.T) {
	dir := keyringtest.CacheDir(t)
	path := filepath.Join(dir, testName)
	unlockA, err := Acquire(t.Context(), dir, testName, 0)
	if err != nil {
		t.Fatal(err)
	}
	old, err := openLockFile(path) // B, before A lets go
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	unlockA()
	unlockC, err := Acquire(t.Context(), dir, testName, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unlockC()
	switch r, err := lockOpened(old, path); {
	case err != nil:
		t.Fatal(err)
	case r == lockBusy:
		t.Skip("this platform grants no lock on a removed file: nothing to replay")
	case r == lockHeld:
		t.Fatal("the lock on the removed file counted as holding the lock")
	}
	if _, err := Acquire(t.Context(), dir, testName, 50*time.Millisecond); !errors.Is(err, ErrTimeout) {
		t.Errorf("Lock while C holds the new file = %v, want ErrTimeout", err)
	}
}

// TestLockIsExclusiveUnderChurn takes and releases one lock from many
// goroutines (each with its own open file, so they contend as processes do)
// and checks that no two ever hold it at once.
func TestLockIsExclusiveUnderChurn(t *testing.T) {
	dir := keyringtest.CacheDir(t)
	const workers, rounds = 16, 200
	var holders, overlaps, taken atomic.Int32
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				unlock, err := Acquire(t.Context(), dir, testName, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if holders.Add(1) != 1 {
					overlaps.Add(1)
				}
				taken.Add(1)
				time.Sleep(time.Duration(taken.Load()%3) * 10 * time.Microsecond)
				holders.Add(-1)
				unlock()
			}
		}()
	}
	wg.Wait()
	if overlaps.Load() != 0 {
		t.Errorf("%d of %d acquisitions overlapped another holder", overlaps.Load(), taken.Load())
	}
	if _, err := os.Lstat(filepath.Join(dir, testName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lock file left after the last unlock: %v", err)
	}
}

// TestLockOfKilledProcess checks that a lock held by a process that was
// killed (no chance to clean up) does not block the next caller, and that
// the file it left is removed by the next unlock.
func TestLockOfKilledProcess(t *testing.T) {
	dir := keyringtest.CacheDir(t)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), lockChildEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, _ := bufio.NewReader(out).ReadString('\n')
	if line != "locked\n" {
		t.Fatalf("child said %q", line)
	}
	// While the child lives, its lock holds.
	if _, err := Acquire(t.Context(), dir, testName, 100*time.Millisecond); !errors.Is(err, ErrTimeout) {
		t.Fatalf("Lock while the child holds it = %v, want ErrTimeout", err)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	path := filepath.Join(dir, testName)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the killed holder left no lock file to test with: %v", err)
	}
	unlock, err := Acquire(t.Context(), dir, testName, 0) // no waiting: the kill released it
	if err != nil {
		t.Fatalf("Lock after the holder was killed: %v", err)
	}
	unlock()
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale lock file after unlock: %v", err)
	}
	keyringtest.NoTempFiles(t, dir)
}
