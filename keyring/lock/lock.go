// Package lock is the cross-process lock of the token cache: an OS file lock
// (flock, LockFileEx) on a named file in the cache dir, taken with a bounded
// wait. Package keyring uses it for the per-key lock that gives concurrent
// cold gets a single fetch (keyring.Lock) and for its index file.
package lock

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// ErrTimeout means another process held the lock for longer than the caller
// wanted to wait; the caller should proceed alone.
var ErrTimeout = errors.New("timed out waiting for the cache lock")

const (
	lockPollMin = 5 * time.Millisecond
	lockPollMax = 100 * time.Millisecond
)

// Acquire takes the lock dir/name, creating dir (0700) if needed; name is a
// plain file name that the caller has checked, such as "<key ID>.lock". It
// waits up to wait (or until ctx ends) and then returns an error wrapping
// ErrTimeout (or ctx's error): the caller should proceed alone. The lock is
// an OS file lock (flock, LockFileEx), so a lock held by a process that dies
// is released with it; the empty file such a process leaves is simply
// locked again.
//
// unlock removes the lock file. That is safe because a lock only counts
// while the path still names the locked file: after the lock is granted,
// Acquire compares the open file with the path and starts over if the holder
// removed (or anyone replaced) it in between. The holder removes the path
// before it lets go, so a waiter that opened the old file finds it orphaned.
// Calling unlock more than once is harmless.
func Acquire(ctx context.Context, dir, name string, wait time.Duration) (unlock func(), err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create lock dir: %w", err)
	}
	path := filepath.Join(dir, name)
	deadline := time.Now().Add(wait)
	for delay := lockPollMin; ; delay = min(2*delay, lockPollMax) {
		f, err := tryLockPath(path)
		if err != nil {
			return nil, err
		}
		if f != nil {
			var once sync.Once
			return func() { once.Do(func() { releaseLock(f, path) }) }, nil
		}
		left := time.Until(deadline)
		if left <= 0 {
			return nil, fmt.Errorf("%w: %s still held after %v", ErrTimeout, path, wait)
		}
		t := time.NewTimer(min(delay, left))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("wait for %s: %w", path, context.Cause(ctx))
		}
	}
}

// tryLockPath opens (or creates) path and tries once to lock it. It returns
// the locked file, or nil if another process holds the lock. A lock granted
// on a file that path no longer names (its holder removed it on unlock) is
// dropped and the open retried at once.
func tryLockPath(path string) (*os.File, error) {
	for {
		f, err := openLockFile(path)
		if err != nil {
			return nil, fmt.Errorf("open lock file: %w", err)
		}
		r, err := lockOpened(f, path)
		if r == lockHeld {
			return f, nil
		}
		f.Close()
		if r == lockBusy {
			return nil, err
		}
	}
}

type lockResult int

const (
	lockBusy  lockResult = iota // another process holds it (or an error)
	lockHeld                    // f is locked and path names it
	lockStale                   // f was locked, but path names another file or none
)

// lockOpened tries once to lock f, which was opened as path. The lock counts
// only if path still names f afterwards; a stale lock is released again.
func lockOpened(f *os.File, path string) (lockResult, error) {
	ok, err := tryLock(f)
	switch {
	case err != nil:
		return lockBusy, fmt.Errorf("lock %s: %w", path, err)
	case !ok:
		return lockBusy, nil
	case !namesFile(path, f):
		unlockFile(f)
		return lockStale, nil
	}
	return lockHeld, nil
}

// namesFile reports whether path still names the open file f.
func namesFile(path string, f *os.File) bool {
	held, err := f.Stat()
	if err != nil {
		return false
	}
	now, err := os.Lstat(path)
	return err == nil && os.SameFile(held, now)
}
