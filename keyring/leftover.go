package keyring

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/ca-helper/ca-helper/keyring/privfile"
)

// tempMaxAge is how old a temp file in the cache dir must be to count as
// left by a write that was killed before its rename. A writer renames its
// temp file right after one fsync, far sooner than this, so a concurrent
// writer's file is never taken.
const tempMaxAge = 30 * time.Second

// leftovers returns the paths of the temp files killed writes left in the
// dir; none if the dir is missing or refused (nothing in it is touched).
func (d *privateDir) leftovers() []string {
	if d.path == "" || privfile.CheckDir(d.path) != nil {
		return nil
	}
	names, err := privfile.StaleTemps(d.path, time.Now().Add(-tempMaxAge))
	if err != nil {
		return nil
	}
	paths := make([]string, len(names))
	for i, n := range names {
		paths[i] = d.file(n)
	}
	return paths
}

// sweep removes the leftovers; one that cannot be removed stays for the
// next sweep and is reported in the error.
func (d *privateDir) sweep() error {
	var errs []error
	for _, p := range d.leftovers() {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("remove temp files of interrupted cache writes: %w", err)
	}
	return nil
}

// Leftovers counts the temp files that writes killed before their rename
// left in the cache dir dir. Such a file may hold a token; every write to
// the cache and SweepLeftovers remove it. A dir that is not private counts
// none: nothing in it is read or removed.
func Leftovers(dir string) int {
	return len((&privateDir{path: dir}).leftovers())
}

// SweepLeftovers removes the files Leftovers counts, and the markers that
// keep the keyring fallback warning to once a day (see OncePerDay), so that
// erase leaves no trace of earlier runs. A dir that is not private is left
// alone.
func SweepLeftovers(dir string) error {
	d := &privateDir{path: dir}
	return errors.Join(d.sweep(), d.forgetWarnings())
}
