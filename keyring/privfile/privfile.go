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
	"strings"
	"time"
)

var errNotRegular = errors.New("not a regular file")

// tempMark separates the name a temp file stands for from its random part:
// WriteAtomic's temp file for name is "." + name + tempMark + digits.
const tempMark = ".tmp-"

// WriteAtomic replaces dir/name with data: a 0600 temp file in the same
// directory (named after name, never after the data), fsync, rename. A
// symlink at dir/name is replaced, not followed. A process killed before
// the rename leaves the temp file; StaleTemps finds such files.
func WriteAtomic(dir, name string, data []byte) (err error) {
	f, err := os.CreateTemp(dir, "."+name+tempMark+"*")
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

// IsTemp reports whether base is the name of a temp file of WriteAtomic.
func IsTemp(base string) bool {
	stem, digits, ok := strings.Cut(base, tempMark)
	if !ok || len(stem) < 2 || stem[0] != '.' || digits == "" {
		return false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// StaleTemps returns the names of WriteAtomic's temp files in dir that are
// regular files last modified before cutoff: what a write killed before its
// rename left. A newer one may belong to a write still under way.
func StaleTemps(dir string, cutoff time.Time) ([]string, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, de := range des {
		if !IsTemp(de.Name()) || !de.Type().IsRegular() {
			continue
		}
		if fi, err := de.Info(); err == nil && fi.ModTime().Before(cutoff) {
			names = append(names, de.Name())
		}
	}
	return names, nil
}
