package keyring

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Lock takes the per-key lock dir/<ID>.lock, so that concurrent cold gets of
// one key on one machine make a single fetch. It waits up to wait and then
// returns an error wrapping ErrLockTimeout: the caller should proceed
// alone. The lock is an OS file lock (flock, LockFileEx), so a lock held by
// a process that dies is released with it. The lock file itself is empty,
// 0600, and stays in dir for the next caller; removing it would let two
// processes lock different inodes of the same name.
func Lock(dir string, k Key, wait time.Duration) (unlock func(), err error) {
	if err := k.Validate(); err != nil {
		return nil, err
	}
	return lockPath(dir, k.ID+".lock", wait)
}

const (
	lockPollMin = 5 * time.Millisecond
	lockPollMax = 100 * time.Millisecond
)

func lockPath(dir, name string, wait time.Duration) (func(), error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create lock dir: %w", err)
	}
	path := filepath.Join(dir, name)
	f, err := openLockFile(path)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	deadline := time.Now().Add(wait)
	for delay := lockPollMin; ; delay = min(2*delay, lockPollMax) {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if ok {
			var once sync.Once
			return func() { once.Do(func() { unlockFile(f); f.Close() }) }, nil
		}
		left := time.Until(deadline)
		if left <= 0 {
			f.Close()
			return nil, fmt.Errorf("%w: %s still held after %v", ErrLockTimeout, path, wait)
		}
		time.Sleep(min(delay, left))
	}
}
