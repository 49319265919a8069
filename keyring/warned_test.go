package keyring

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/keyring/keyringtest"
)

// fakeClock is a settable clock.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

var (
	lockedErr  = unavailable("get", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/collection/login'"))
	noBusErr   = unavailable("get", dialErr("/run/user/1000/bus", syscall.ENOENT))
	noBusErr2  = unavailable("set", dialErr("/tmp/dbus-Zq0Wd3", syscall.ECONNREFUSED)) // same class, other text
	noAnswer   = unavailable("get", noAnswerError{Op: "get", Timeout: time.Second})
	fallbackOf = func(err error) Event { return Event{Kind: KeyringUnavailable, Err: err} }
)

// report is one event handed to OncePerDay at a time after the start, and
// whether it must come out as already told today.
type report struct {
	after time.Duration
	ev    Event
	told  bool
}

func TestOncePerDay(t *testing.T) {
	tests := []struct {
		name  string
		plant func(t *testing.T, dir string) // before the first event
		steps []report
	}{
		{name: "same cause within a day is told once", steps: []report{
			{0, fallbackOf(lockedErr), false},
			{time.Minute, fallbackOf(lockedErr), true},
			{23*time.Hour + 59*time.Minute, fallbackOf(lockedErr), true},
		}},
		{name: "after a day the cause is told again, then quiet for another day", steps: []report{
			{0, fallbackOf(lockedErr), false},
			{24 * time.Hour, fallbackOf(lockedErr), false},
			{47 * time.Hour, fallbackOf(lockedErr), true},
			{48 * time.Hour, fallbackOf(lockedErr), false},
		}},
		{name: "a different cause is told, each once", steps: []report{
			{0, fallbackOf(lockedErr), false},
			{time.Minute, fallbackOf(noBusErr), false},
			{2 * time.Minute, fallbackOf(noAnswer), false},
			{3 * time.Minute, fallbackOf(lockedErr), true},
			{4 * time.Minute, fallbackOf(noBusErr), true},
			{5 * time.Minute, fallbackOf(noAnswer), true},
		}},
		{name: "the class counts, not the error text", steps: []report{
			{0, fallbackOf(noBusErr), false},
			{time.Hour, fallbackOf(noBusErr2), true},
		}},
		{name: "other events are always told", steps: []report{
			{0, Event{Kind: MovedToFile, Key: testKey, Err: ErrTooBig}, false},
			{time.Minute, Event{Kind: MovedToFile, Key: testKey, Err: ErrTooBig}, false},
			{2 * time.Minute, Event{Kind: IndexNotUpdated, Err: errors.New("disk full")}, false},
		}},
		{name: "a marker from the future (clock set back) is told", plant: plantMarker("locked", "2030-01-01T00:00:00Z\n"), steps: []report{
			{0, fallbackOf(lockedErr), false},
			{time.Hour, fallbackOf(lockedErr), true},
		}},
		{name: "a corrupt marker is told and replaced", plant: plantMarker("locked", "yesterday"), steps: []report{
			{0, fallbackOf(lockedErr), false},
			{time.Hour, fallbackOf(lockedErr), true},
		}},
		{name: "a missing cache dir is created for the marker", plant: removeDir, steps: []report{
			{0, fallbackOf(lockedErr), false},
			{time.Hour, fallbackOf(lockedErr), true},
		}},
		{name: "a marker that cannot be written means telling every time", plant: mkdirAll(warnedName(CauseLocked) + "/x"), steps: []report{
			{0, fallbackOf(lockedErr), false},
			{time.Minute, fallbackOf(lockedErr), false},
		}},
	}
	start := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := keyringtest.CacheDir(t)
			if tt.plant != nil {
				tt.plant(t, dir)
			}
			clock := &fakeClock{}
			var got []bool
			report := OncePerDay(dir, clock.now, func(ev Event, told bool) { got = append(got, told) })
			for i, s := range tt.steps {
				clock.t = start.Add(s.after)
				report(s.ev)
				if len(got) != i+1 || got[i] != s.told {
					t.Fatalf("step %d (%s after start, %s): told today %v, want %v", i, s.after, CauseOf(s.ev.Err), got[i:], s.told)
				}
			}
			checkMarkers(t, dir)
		})
	}
}

// TestOncePerDayRefusedDir: in a dir open to others nothing is written, so
// the warning is given every time.
func TestOncePerDayRefusedDir(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no mode bits to refuse")
	}
	for _, dirOf := range []func(t *testing.T) string{
		func(t *testing.T) string { d := keyringtest.CacheDir(t); chmodDir(0o755)(t, d); return d },
		func(t *testing.T) string { d := keyringtest.CacheDir(t); replaceWithFile(t, d); return d },
		func(t *testing.T) string { return "" }, // no dir at all
	} {
		dir := dirOf(t)
		clock := &fakeClock{t: time.Now()}
		told := 0
		report := OncePerDay(dir, clock.now, func(ev Event, toldToday bool) {
			if toldToday {
				told++
			}
		})
		for range 3 {
			report(fallbackOf(lockedErr))
			clock.t = clock.t.Add(time.Minute)
		}
		if told != 0 {
			t.Errorf("dir %q: %d of 3 warnings kept quiet, want none", dir, told)
		}
		if dir == "" {
			continue
		}
		if m, _ := filepath.Glob(filepath.Join(dir, "*"+warnedSuffix)); len(m) != 0 {
			t.Errorf("markers written in a refused dir: %v", m)
		}
	}
}

// TestOncePerDayRealClock: a nil clock is time.Now.
func TestOncePerDayRealClock(t *testing.T) {
	dir := keyringtest.CacheDir(t)
	var got []bool
	report := OncePerDay(dir, nil, func(_ Event, told bool) { got = append(got, told) })
	report(fallbackOf(noAnswer))
	report(fallbackOf(noAnswer))
	if len(got) != 2 || got[0] || !got[1] {
		t.Errorf("told today = %v, want [false true]", got)
	}
}

// checkMarkers: every marker is a private file named after a class of
// cause, holding a time and nothing else (no error text).
func checkMarkers(t *testing.T, dir string) {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(dir, warnedPrefix+"*"))
	for _, p := range names {
		fi, err := os.Lstat(p)
		if err != nil || fi.IsDir() {
			continue // planted to make writing fail
		}
		b, _ := os.ReadFile(p)
		if !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$`).Match(b) {
			t.Errorf("%s holds %q, want one RFC 3339 time", filepath.Base(p), b)
		}
		if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", filepath.Base(p), fi.Mode().Perm())
		}
		if name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(p), warnedPrefix), warnedSuffix); !knownCause(name) {
			t.Errorf("marker %s is not named after a class of cause", filepath.Base(p))
		}
	}
}

func knownCause(name string) bool {
	for c := range causes {
		if c.String() == name {
			return true
		}
	}
	return false
}

func plantMarker(cause, content string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		if err := os.WriteFile(filepath.Join(dir, warnedPrefix+cause+warnedSuffix), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func removeDir(t *testing.T, dir string) {
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
}

// TestSweepForgetsWarnings: SweepLeftovers (erase) removes the markers from
// a private dir, so the next fallback is told again, and leaves a refused
// dir alone.
func TestSweepForgetsWarnings(t *testing.T) {
	dir := keyringtest.CacheDir(t)
	var got []bool
	report := OncePerDay(dir, nil, func(_ Event, told bool) { got = append(got, told) })
	report(fallbackOf(lockedErr))
	report(fallbackOf(noBusErr))
	keep := filepath.Join(dir, testKey.ID+".json")
	if err := os.WriteFile(keep, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := SweepLeftovers(dir); err != nil {
		t.Fatal(err)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, warnedPrefix+"*")); len(m) != 0 {
		t.Errorf("markers left after SweepLeftovers: %v", m)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("SweepLeftovers removed an entry: %v", err)
	}
	report(fallbackOf(lockedErr))
	if len(got) != 3 || got[2] {
		t.Errorf("told today after the sweep = %v, want the warning again", got)
	}

	if runtime.GOOS == "windows" {
		return // no mode bits to refuse
	}
	planted := filepath.Join(dir, warnedName(CauseLocked))
	chmodDir(0o755)(t, dir)
	SweepLeftovers(dir)
	if _, err := os.Stat(planted); err != nil {
		t.Errorf("SweepLeftovers touched a refused dir: %v", err)
	}
}
