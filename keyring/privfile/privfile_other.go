//go:build !unix

package privfile

import (
	"fmt"
	"io"
	"os"
)

// openNoFollow opens path for reading unless it is a symlink or another
// reparse point. There is no O_NOFOLLOW here; the directory is the user's own
// profile directory, so the Lstat-then-open window is acceptable.
func openNoFollow(path string) (*os.File, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, errNotRegular
	}
	return os.Open(path)
}

// checkOwnFile accepts only a regular file; ownership is left to the ACLs
// of the user's profile directory.
func checkOwnFile(f *os.File) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return errNotRegular
	}
	return nil
}

// CheckDir accepts a directory. Windows mode bits say nothing about
// access; the per-user cache directory is protected by its ACL.
func CheckDir(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("not a directory")
	}
	return nil
}

// syncDir is a no-op: Windows cannot fsync a directory handle.
func syncDir(string) {}

// ReadCapped reads a regular file owned by us, without following a symlink
// at path, and fails if it holds more than max bytes.
func ReadCapped(path string, max int64) ([]byte, error) {
	f, err := openNoFollow(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := checkOwnFile(f); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("file larger than %d bytes", max)
	}
	return b, nil
}
