//go:build windows

package lock

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

func openLockFile(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
}

// tryLock takes an exclusive LockFileEx lock on the first byte without
// blocking; false means another handle holds it.
func tryLock(f *os.File) (bool, error) {
	var ol windows.Overlapped
	err := windows.LockFileEx(windows.Handle(f.Fd()),
		windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ol)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, windows.ERROR_LOCK_VIOLATION), errors.Is(err, windows.ERROR_IO_PENDING):
		return false, nil
	}
	return false, err
}

func unlockFile(f *os.File) {
	var ol windows.Overlapped
	windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, &ol)
}

// releaseLock lets go, then removes the lock file. Windows cannot remove a
// file another process has open (Go opens without FILE_SHARE_DELETE), so the
// removal fails exactly when a waiter holds the file, which keeps it; a
// waiter never locks a file that is gone. The stale-file check in
// tryLockPath covers a file removed between a waiter's open and its lock.
func releaseLock(f *os.File, path string) {
	unlockFile(f)
	f.Close()
	os.Remove(path)
}
