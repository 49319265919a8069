package maven

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFile replaces path with data atomically: a 0600 temp file in the same
// directory, synced, then renamed over path, so readers see the old or the new
// file and never a world-readable one. The first time it replaces a file it
// keeps the old content as path+".bak" (0600); an existing backup is never
// overwritten. Identical content is left alone (changed is false). A missing
// parent directory is created 0700. A symlink at path is followed, so a
// settings.xml managed as a dotfile link stays a link.
func WriteFile(path string, data []byte) (changed bool, err error) {
	return writeFile(path, data, 0)
}

// WriteShared is WriteFile for a file meant to be shared, such as a project's
// .mvn/extensions.xml that is committed: an existing file keeps its mode, a
// new one gets newMode.
func WriteShared(path string, data []byte, newMode fs.FileMode) (changed bool, err error) {
	return writeFile(path, data, newMode)
}

// writeFile writes as WriteFile; a non-zero newMode keeps an existing file's
// mode and gives a new file newMode instead of 0600.
func writeFile(path string, data []byte, newMode fs.FileMode) (changed bool, err error) {
	if target, err := filepath.EvalSymlinks(path); err == nil {
		path = target
	}
	old, err := os.ReadFile(path)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("read %s: %w", path, err)
	}
	if exists && bytes.Equal(old, data) {
		return false, nil
	}
	dir := filepath.Dir(path)
	dirMode := fs.FileMode(0o700)
	if newMode != 0 {
		dirMode = 0o755 // a shared file's directory, such as a project's .mvn
	}
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return false, fmt.Errorf("create directory %s: %w", dir, err)
	}
	if exists {
		if err := keepBackup(path, old); err != nil {
			return false, err
		}
	}
	tmp, err := writeTemp(dir, filepath.Base(path), data)
	if err != nil {
		return false, err
	}
	if newMode != 0 {
		mode := newMode
		if st, err := os.Stat(path); err == nil {
			mode = st.Mode().Perm()
		}
		if err := os.Chmod(tmp, mode); err != nil {
			os.Remove(tmp)
			return false, fmt.Errorf("set mode of %s: %w", tmp, err)
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return false, fmt.Errorf("replace %s: %w", path, err)
	}
	return true, nil
}

// keepBackup writes old to path+".bak" unless that file exists. The link makes
// "create only if absent" atomic; where links are unsupported it falls back to
// a check and a rename.
func keepBackup(path string, old []byte) error {
	bak := path + ".bak"
	if _, err := os.Lstat(bak); err == nil {
		return nil
	}
	tmp, err := writeTemp(filepath.Dir(path), filepath.Base(bak), old)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	err = os.Link(tmp, bak)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return nil
	}
	if _, statErr := os.Lstat(bak); statErr == nil {
		return nil
	}
	if err := os.Rename(tmp, bak); err != nil {
		return fmt.Errorf("keep backup %s: %w", bak, err)
	}
	return nil
}

// writeTemp writes data to a new 0600 file next to name and returns its path.
func writeTemp(dir, name string, data []byte) (string, error) {
	f, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("create temp file in %s: %w", dir, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("write %s: %w", f.Name(), err)
	}
	return f.Name(), nil
}
