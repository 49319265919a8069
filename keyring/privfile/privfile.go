// Package privfile reads and writes the files of a directory private to the
// user, as the token cache keeps them: a read that does not follow symlinks,
// refuses what is not a regular file of ours and caps the size; an atomic
// 0600 write; and the check that the directory itself is private. Package
// keyring uses it for its entry files and index.
package privfile

import (
	"errors"
	"os"
	"path/filepath"
)

var errNotRegular = errors.New("not a regular file")

// WriteAtomic replaces dir/name with data: a 0600 temp file in the same
// directory (named after name, never after the data), fsync, rename. A
// symlink at dir/name is replaced, not followed.
func WriteAtomic(dir, name string, data []byte) (err error) {
	f, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}
