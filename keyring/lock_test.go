package keyring

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// lockChildEnv makes the test binary act as a process that takes the lock
// of testKey in the named dir, says "locked", and waits to be killed.
const lockChildEnv = "CA_HELPER_TEST_LOCK_CHILD"

func TestMain(m *testing.M) {
	if dir := os.Getenv(lockChildEnv); dir != "" {
		if _, err := Lock(dir, testKey, 0); err != nil {
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
	dir := cacheDir(t)
	unlock, err := Lock(dir, testKey, 0)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = Lock(dir, testKey, 300*time.Millisecond)
	if !errors.Is(err, ErrLockTimeout) {
		t.Fatalf("second Lock = %v, want ErrLockTimeout", err)
	}
	if waited := time.Since(start); waited < 300*time.Millisecond || waited > 5*time.Second {
		t.Errorf("second Lock gave up after %v, want about 300ms", waited)
	}
	other := Key{ID: "other-key"}
	if u, err := Lock(dir, other, 0); err != nil {
		t.Errorf("lock of another key blocked: %v", err)
	} else {
		u()
	}
	unlock()
	unlock() // a second unlock is harmless
	u2, err := Lock(dir, testKey, 0)
	if err != nil {
		t.Fatalf("Lock after unlock: %v", err)
	}
	u2()
	noTempFiles(t, dir)
}

func TestLockWaitsForRelease(t *testing.T) {
	dir := cacheDir(t)
	unlock, err := Lock(dir, testKey, 0)
	if err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(200*time.Millisecond, unlock)
	start := time.Now()
	u2, err := Lock(dir, testKey, 5*time.Second)
	if err != nil {
		t.Fatalf("Lock while the holder releases: %v", err)
	}
	defer u2()
	if waited := time.Since(start); waited < 150*time.Millisecond || waited > 5*time.Second {
		t.Errorf("got the lock after %v, want about 200ms", waited)
	}
}

func TestLockRejectsBadKey(t *testing.T) {
	if _, err := Lock(cacheDir(t), Key{ID: "../escape"}, 0); err == nil {
		t.Error("Lock with ID ../escape succeeded")
	}
}

// TestLockOfKilledProcess checks that a lock held by a process that was
// killed (no chance to clean up) does not block the next caller.
func TestLockOfKilledProcess(t *testing.T) {
	dir := cacheDir(t)
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
	if _, err := Lock(dir, testKey, 100*time.Millisecond); !errors.Is(err, ErrLockTimeout) {
		t.Fatalf("Lock while the child holds it = %v, want ErrLockTimeout", err)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	unlock, err := Lock(dir, testKey, 0) // no waiting: the kill released it
	if err != nil {
		t.Fatalf("Lock after the holder was killed: %v", err)
	}
	unlock()
	if _, err := os.Stat(filepath.Join(dir, testKey.ID+".lock")); err != nil {
		t.Errorf("lock file: %v", err)
	}
	noTempFiles(t, dir)
}
