//go:build unix

package privfile

import (
	"fmt"
	"os"
	"syscall"
)

// ReadCapped reads a regular file owned by us, without following a symlink
// at path and without blocking on a FIFO, and fails if it holds more than
// max bytes. It makes plain system calls: an os.File would start the
// runtime's poller (an epoll instance, an eventfd and often a thread) for
// the single read a cached get does.
func ReadCapped(path string, max int64) ([]byte, error) {
	fd, err := retryEINTR(func() (int, error) {
		return syscall.Open(path, syscall.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	})
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, &os.PathError{Op: "stat", Path: path, Err: err}
	}
	if int(st.Mode)&syscall.S_IFMT != syscall.S_IFREG {
		return nil, errNotRegular
	}
	if int(st.Uid) != os.Getuid() {
		return nil, fmt.Errorf("owned by uid %d, not %d", st.Uid, os.Getuid())
	}
	b := make([]byte, 0, min(st.Size, max)+1)
	for {
		if int64(len(b)) > max {
			return nil, fmt.Errorf("file larger than %d bytes", max)
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := retryEINTR(func() (int, error) { return syscall.Read(fd, b[len(b):cap(b)]) })
		if err != nil {
			return nil, &os.PathError{Op: "read", Path: path, Err: err}
		}
		if n == 0 {
			return b, nil
		}
		b = b[:len(b)+n]
	}
}

// retryEINTR repeats a system call that a signal interrupted.
func retryEINTR(call func() (int, error)) (int, error) {
	for {
		n, err := call()
		if err != syscall.EINTR {
			return n, err
		}
	}
}

// CheckDir accepts a directory owned by the current user with no
// group or other permissions.
func CheckDir(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("not a directory")
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Getuid() {
		return fmt.Errorf("owned by uid %d, not %d", st.Uid, os.Getuid())
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("mode %04o lets others in (fix: chmod 700 %s)", perm, path)
	}
	return nil
}

// syncDir makes a rename in dir durable; failure only costs durability.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
