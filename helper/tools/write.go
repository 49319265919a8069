package tools

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ReadConfig reads a config file setup is about to merge into: nil for a
// file that is not there; an error wrapping ErrMalformed for one that is
// not a regular file or fails CheckText. At most MaxConfigSize+1 bytes are
// read, so a huge file costs nothing.
func ReadConfig(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: not a regular file", ErrMalformed)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxConfigSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if b == nil {
		b = []byte{} // there, but empty
	}
	return b, CheckText(b)
}

// WriteConfig replaces path with data atomically (a temp file in the same
// directory, synced, renamed over it), so npm and the user see the old file
// or the new one, never half of one. Identical content is left alone
// (changed is false). A symlink at path is followed, so a dotfile managed
// as a link stays one; an existing file keeps its mode, a new one gets
// newMode. No backup is kept: the merge changes only the lines ca-helper
// manages, and a backup would keep any token a line held.
func WriteConfig(path string, data []byte, newMode fs.FileMode) (changed bool, err error) {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	mode := newMode
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
		if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
			return false, nil
		}
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return false, fmt.Errorf("create temp file in %s: %w", dir, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	// The mode before the content: a private file is never readable by
	// others, not even for a moment.
	if err = f.Chmod(mode); err != nil {
		return false, fmt.Errorf("set mode of %s: %w", tmp, err)
	}
	if _, err = f.Write(data); err != nil {
		return false, fmt.Errorf("write %s: %w", tmp, err)
	}
	if err = f.Sync(); err != nil {
		return false, fmt.Errorf("write %s: %w", tmp, err)
	}
	if err = f.Close(); err != nil {
		return false, fmt.Errorf("write %s: %w", tmp, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return false, fmt.Errorf("replace %s: %w", path, err)
	}
	return true, nil
}
