package tokens

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/helper/failure/failuretest"
	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/keyring"
	"github.com/ca-helper/ca-helper/keyring/oskeyring"
)

// TestOpenWithoutAnyDirectory: with no variable naming a cache directory,
// caching off still opens (no store dir, no lock dir), and every mode that
// would store something is a usage error naming what to set.
func TestOpenWithoutAnyDirectory(t *testing.T) {
	env := Env{Getenv: func(string) string { return "" }}
	svc, err := Open(env, target.Options{Cache: "none"})
	if err != nil || svc.Store.Name() != "none" || svc.LockDir != "" {
		t.Fatalf("Open(none) = %+v, %v; want the none store and no lock dir", svc, err)
	}
	for _, mode := range []string{"auto", "keyring", "file"} {
		_, err := Open(env, target.Options{Cache: mode})
		failuretest.WantUsage(t, err, "--cache "+mode, "CA_HELPER_CACHE_DIR", "HOME")
	}
}

// TestReport: the keyring fallback is warned unless told today, always with
// the whole cause in the debug log; other events are always warned.
func TestReport(t *testing.T) {
	fallback := keyring.Event{Kind: keyring.KeyringUnavailable, Err: errors.New("token storage unavailable: keyring get: failed to unlock correct collection")}
	moved := keyring.Event{Kind: keyring.MovedToFile, Key: keyring.Key{ID: "k", Label: "big"}, Err: keyring.ErrTooBig}
	tests := []struct {
		name      string
		ev        keyring.Event
		toldToday bool
		warns     []string
		debug     []string // substrings, in order
	}{
		{"first fallback of the day", fallback, false, []string{fallback.String()},
			[]string{"keyring not used: token storage unavailable: keyring get: failed to unlock correct collection"}},
		{"fallback told today", fallback, true, nil,
			[]string{"failed to unlock correct collection", "warned within the last day, not repeated: keyring not used (locked)"}},
		{"other event", moved, false, []string{moved.String()}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			Env{Warn: rec.warn, Debugf: rec.debugf}.report(tt.ev, tt.toldToday)
			if strings.Join(rec.warns, "\n") != strings.Join(tt.warns, "\n") {
				t.Errorf("warnings %q, want %q", rec.warns, tt.warns)
			}
			if len(rec.debug) != len(tt.debug) {
				t.Fatalf("debug lines %q, want %d", rec.debug, len(tt.debug))
			}
			for i, want := range tt.debug {
				if !strings.Contains(rec.debug[i], want) {
					t.Errorf("debug line %d = %q, want it to contain %q", i, rec.debug[i], want)
				}
			}
		})
	}
}

// TestOpenWarnsFallbackOncePerDay: stores opened by Open share the memory
// in the cache dir: a dead session bus is warned at the first get, only
// logged at the next within a day, and warned again a day later.
func TestOpenWarnsFallbackOncePerDay(t *testing.T) {
	if !oskeyring.UsesDBus {
		t.Skip("a dead session bus makes the keyring fail only on D-Bus platforms")
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "dead-bus"))
	dir := filepath.Join(t.TempDir(), "cache")
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	getenv := func(k string) string {
		if k == "CA_HELPER_CACHE_DIR" {
			return dir
		}
		return ""
	}
	key := keyring.Key{ID: "demo-111122223333.us-east-1"}
	for i, step := range []struct {
		after time.Duration
		warns int
	}{{0, 1}, {time.Hour, 0}, {25 * time.Hour, 1}} {
		rec := &recorder{}
		env := Env{Getenv: getenv, Now: func() time.Time { return now.Add(step.after) }, Warn: rec.warn, Debugf: rec.debugf}
		svc, err := Open(env, target.Options{Cache: "auto"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Store.Get(key); !errors.Is(err, keyring.ErrNotFound) {
			t.Fatalf("Get = %v, want a miss", err)
		}
		if len(rec.warns) != step.warns || !strings.Contains(strings.Join(rec.debug, "\n"), "keyring not used") {
			t.Errorf("get %d (%s later): warnings %q, debug %q; want %d warnings and the fallback in the debug log",
				i+1, step.after, rec.warns, rec.debug, step.warns)
		}
	}
}
