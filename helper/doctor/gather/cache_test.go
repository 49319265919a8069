package gather

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/ca-helper/ca-helper/helper/doctor"
	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/keyring"
)

// scriptedStore is a store whose Get reports the scripted events, as a real
// store does while it works, and then answers Name with after.
type scriptedStore struct {
	report      func(keyring.Event)
	events      []keyring.Event
	name, after string
}

func (s *scriptedStore) Name() string { return s.name }

func (s *scriptedStore) Get(keyring.Key) (keyring.Entry, error) {
	for _, ev := range s.events {
		s.report(ev)
	}
	s.name = s.after
	return keyring.Entry{}, keyring.ErrNotFound
}

func (s *scriptedStore) Set(keyring.Key, keyring.Entry) error { return nil }
func (s *scriptedStore) Delete(keyring.Key) error             { return nil }
func (s *scriptedStore) DeleteAll() error                     { return nil }
func (s *scriptedStore) List() ([]keyring.Item, error)        { return nil, nil }

// refusal is what a store reports as wrong with dir: the Err of its
// DirRefused event, or "" if it has none.
func refusal(t *testing.T, dir string) string {
	t.Helper()
	var evs eventLog
	s, err := keyring.Open("file", keyring.Options{Dir: dir, Report: evs.add})
	if err != nil {
		t.Fatal(err)
	}
	s.Get(keyring.Key{ID: "probe"})
	for _, ev := range evs.all() {
		if ev.Kind == keyring.DirRefused {
			return ev.Err.Error()
		}
	}
	return ""
}

func TestDoctorCacheProbe(t *testing.T) {
	didNotAnswer := fmt.Errorf("%w: the keyring did not answer (get) within 1s", keyring.ErrUnavailable)
	tests := []struct {
		name     string
		kind     string
		plant    func(t *testing.T, dir string) // makes the cache dir's situation
		refused  bool                           // the store refuses the dir
		modeBits bool                           // the situation needs Unix permission bits
		// script, if set, replaces the real store with one whose Get
		// reports these events and whose Name then turns to after.
		script     func(dir string) []keyring.Event
		after      string
		backend    string
		noBus      bool
		keyringErr string
	}{
		{name: "dir open to others", kind: "file", plant: mkdirMode(0o775), refused: true, modeBits: true, backend: "file"},
		{name: "dir is a file", kind: "file", plant: writeDirAsFile, refused: true, backend: "file"},
		{name: "private dir", kind: "file", plant: mkdirMode(0o700), backend: "file"},
		{name: "auto without a session bus", kind: "auto", backend: "file", noBus: true},
		{name: "auto gives up the keyring", kind: "auto", after: "file", backend: "file",
			keyringErr: "the keyring did not answer (get) within 1s",
			script: func(string) []keyring.Event {
				return []keyring.Event{{Kind: keyring.KeyringUnavailable, Err: didNotAnswer}}
			}},
		{name: "a refusal reported while probing", kind: "file", after: "file", backend: "file",
			script: func(dir string) []keyring.Event {
				return []keyring.Event{{Kind: keyring.DirRefused, Dir: dir, Err: errors.New("owned by uid 4242, not 1000")}}
			}},
		// Events of other kinds whose warnings read like a refused dir or a
		// keyring given up: a Probe that parsed warnings would be fooled.
		{name: "only the kind counts, not the wording", kind: "auto", after: "keyring", backend: "keyring",
			script: func(dir string) []keyring.Event {
				return []keyring.Event{
					{Kind: keyring.MovedToFile, Key: keyring.Key{ID: "a", Label: "ignoring cache dir " + dir + ": planted"}, Err: keyring.ErrTooBig},
					{Kind: keyring.MovedToFile, Key: keyring.Key{ID: "b", Label: "keyring not used, caching tokens in files: planted"}, Err: keyring.ErrTooBig},
					{Kind: keyring.IndexNotUpdated, Err: errors.New("ignoring cache dir " + dir + ": keyring not used, caching tokens in files: planted")},
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.modeBits && runtime.GOOS == "windows" {
				t.Skip("Windows has no mode bits to refuse")
			}
			if tt.kind == "auto" && tt.script == nil && (runtime.GOOS == "darwin" || runtime.GOOS == "windows") {
				t.Skip("auto would reach the real keyring here")
			}
			t.Setenv("DBUS_SESSION_BUS_ADDRESS", "") // a real auto store must not reach a keyring
			dir := filepath.Join(t.TempDir(), "ca-helper")
			if tt.plant != nil {
				tt.plant(t, dir)
			}
			dc := cacheProbe{t: target.Target{Domain: "my-domain", Owner: "111122223333", Region: "eu-west-1"}, getenv: func(k string) string {
				return map[string]string{"CA_HELPER_CACHE_DIR": dir}[k]
			}}
			wantDirProblem := ""
			if tt.script != nil {
				events := tt.script(dir)
				wantDirProblem = scriptedRefusal(events)
				dc.open = func(kind string, o keyring.Options) (keyring.Store, error) {
					return &scriptedStore{report: o.Report, events: events, name: "keyring", after: tt.after}, nil
				}
			} else if tt.refused {
				wantDirProblem = refusal(t, dir)
				if wantDirProblem == "" {
					t.Fatal("the store did not refuse the planted dir")
				}
			}
			st := dc.Probe(t.Context(), tt.kind)
			want := doctor.CacheState{Backend: tt.backend, NoBus: tt.noBus, KeyringErr: tt.keyringErr, Dir: dir, DirProblem: wantDirProblem}
			got := doctor.CacheState{Backend: st.Backend, NoBus: st.NoBus, KeyringErr: st.KeyringErr, Dir: st.Dir, DirProblem: st.DirProblem, Err: st.Err}
			if got != want {
				t.Errorf("Probe(%q) =\n %+v\nwant\n %+v", tt.kind, got, want)
			}
			if !st.Cached.IsZero() {
				t.Errorf("Cached = %v, want none", st.Cached)
			}
		})
	}
}

// scriptedRefusal is the cause of the scripted DirRefused event, if any.
func scriptedRefusal(events []keyring.Event) string {
	for _, ev := range events {
		if ev.Kind == keyring.DirRefused {
			return ev.Err.Error()
		}
	}
	return ""
}

// mkdirMode makes the cache dir with mode perm.
func mkdirMode(perm os.FileMode) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		if err := os.Mkdir(dir, perm); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, perm); err != nil { // past the umask
			t.Fatal(err)
		}
	}
}

// writeDirAsFile puts a file where the cache dir should be.
func writeDirAsFile(t *testing.T, dir string) {
	if err := os.WriteFile(dir, []byte("not a dir"), 0o600); err != nil {
		t.Fatal(err)
	}
}
