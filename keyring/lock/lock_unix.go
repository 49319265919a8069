//go:build unix && !aix

package lock

import (
	"errors"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

func openLockFile(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o600)
}

// tryLock takes an exclusive flock without blocking; false means another
// open file description holds it.
func tryLock(f *os.File) (bool, error) {
	for {
		err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, unix.EWOULDBLOCK):
			return false, nil
		case errors.Is(err, unix.EINTR):
			continue
		}
		return false, err
	}
}

func unlockFile(f *os.File) { unix.Flock(int(f.Fd()), unix.LOCK_UN) }

// releaseLock removes the lock file while still holding the lock, then lets
// go: a process that opened the old file and now gets its lock sees that the
// path no longer names it (see tryLockPath) and starts over on a new file.
// The path is removed only while it still names our file.
func releaseLock(f *os.File, path string) {
	if namesFile(path, f) {
		os.Remove(path)
	}
	unlockFile(f)
	f.Close()
}
