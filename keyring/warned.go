package keyring

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ca-helper/ca-helper/keyring/privfile"
)

// warnedFor is how long a fallback warning stays quiet for its cause.
const warnedFor = 24 * time.Hour

// A marker file, keyring-fallback-<cause>.warned, records when the fallback
// warning for that class of cause was given. It holds that time only.
const (
	warnedPrefix = "keyring-fallback-"
	warnedSuffix = ".warned"
	maxWarned    = 64 // bytes: an RFC 3339 time
)

// OncePerDay wraps a report function for commands that run on every build
// (get, exec): a KeyringUnavailable event whose class of cause (CauseOf) was
// already reported within the last 24 hours comes with toldToday set, so the
// caller can keep quiet and log it for --debug only. Every other event, and
// every event when the cache dir dir is not private (nothing is written
// there), comes with toldToday false. now is the clock; nil means time.Now.
//
// The memory is a marker file per class in dir, read only on the fallback
// path: a run that uses the keyring or files by choice never touches one.
func OncePerDay(dir string, now func() time.Time, report func(ev Event, toldToday bool)) func(Event) {
	if now == nil {
		now = time.Now
	}
	m := warnMemory{dir: dir, now: now}
	return func(ev Event) {
		report(ev, ev.Kind == KeyringUnavailable && m.toldToday(CauseOf(ev.Err)))
	}
}

// warnMemory remembers in the cache dir when each class of cause was warned
// about.
type warnMemory struct {
	dir string
	now func() time.Time
}

func warnedName(c Cause) string { return warnedPrefix + c.String() + warnedSuffix }

// toldToday reports whether the warning for c was given within warnedFor;
// if not, it records that it is given now. A dir that is not private, or a
// marker that cannot be written, means "not told": the warning is given.
func (m warnMemory) toldToday(c Cause) bool {
	d := &privateDir{path: m.dir, report: func(Event) {}} // the store reports a refused dir
	if m.dir == "" || d.ensure() != nil {
		return false
	}
	now := m.now().UTC()
	if b, err := privfile.ReadCapped(d.file(warnedName(c)), maxWarned); err == nil {
		at, err := time.Parse(time.RFC3339, strings.TrimSpace(string(b)))
		if age := now.Sub(at); err == nil && age >= 0 && age < warnedFor {
			return true
		}
	}
	privfile.WriteAtomic(m.dir, warnedName(c), []byte(now.Format(time.RFC3339)+"\n"))
	return false
}

// forgetWarnings removes the markers from the dir, if it is private.
func (d *privateDir) forgetWarnings() error {
	if d.path == "" || privfile.CheckDir(d.path) != nil {
		return nil
	}
	paths, err := filepath.Glob(filepath.Join(d.path, warnedPrefix+"*"+warnedSuffix))
	if err != nil {
		return fmt.Errorf("find keyring warning markers: %w", err)
	}
	var errs []error
	for _, p := range paths {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("remove keyring warning markers: %w", err)
	}
	return nil
}
