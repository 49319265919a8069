package keyring

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/keyring/oskeyring"
	"github.com/ca-helper/ca-helper/keyring/privfile"
	gokeyring "github.com/zalando/go-keyring"
)

func TestEventString(t *testing.T) {
	cause := errors.New("the cause")
	k := Key{ID: "my-domain-111122223333.eu-west-1", Label: "CodeArtifact token my-domain-111122223333 (eu-west-1)"}
	tests := []struct {
		ev   Event
		want string
	}{
		{Event{Kind: DirRefused, Dir: "/run/user/1000/ca-helper", Err: cause},
			"ignoring cache dir /run/user/1000/ca-helper: the cause"},
		{Event{Kind: KeyringUnavailable, Err: cause},
			"keyring not used (the cause), caching tokens in files; set CA_HELPER_CACHE=file to choose files and silence this, or run ca-helper doctor"},
		{Event{Kind: MovedToFile, Key: k, Err: cause},
			"CodeArtifact token my-domain-111122223333 (eu-west-1) is too big for the keyring (the cause); cached in a file instead"},
		{Event{Kind: IndexNotUpdated, Key: k, Err: cause},
			"cache index not updated: the cause"},
		{Event{Kind: KeyringCopyNotRemoved, Key: k, Err: cause},
			"old keyring copy of my-domain-111122223333.eu-west-1 not removed: the cause"},
		{Event{Kind: StaleFileNotRemoved, Key: k, Err: cause},
			"stale cache file of my-domain-111122223333.eu-west-1 not removed: the cause"},
		{Event{Kind: LeftoversNotRemoved, Dir: "/run/user/1000/ca-helper", Err: cause},
			"in /run/user/1000/ca-helper: the cause"},
		{Event{Kind: 99, Err: cause}, "cache event 99: the cause"},
	}
	for _, tt := range tests {
		if got := tt.ev.String(); got != tt.want {
			t.Errorf("kind %d: String() = %q, want %q", tt.ev.Kind, got, tt.want)
		}
	}
}

func TestOnceEach(t *testing.T) {
	onceEach(nil)(Event{Kind: DirRefused}) // no Report: nothing to call
	w := &warnings{}
	report := onceEach(w.add)
	a := Event{Kind: DirRefused, Dir: "/a", Err: errors.New("not a directory")}
	b := Event{Kind: DirRefused, Dir: "/b", Err: errors.New("not a directory")}
	c := Event{Kind: IndexNotUpdated, Err: errors.New("not a directory")}
	for _, ev := range []Event{a, b, a, c, b, c} {
		report(ev)
	}
	if got := w.all(); len(got) != 3 || got[0].Dir != "/a" || got[1].Dir != "/b" || got[2].Kind != IndexNotUpdated {
		t.Errorf("reported %v, want each distinct event once, in order", got)
	}
}

// wantEvent is an expected Event: Kind and Key must match, Err must wrap is
// (if set). Dir must be the store's dir for DirRefused and empty otherwise.
type wantEvent struct {
	kind EventKind
	key  Key
	is   error
}

// bigToken does not fit the keyring once maxKeyringItem is lowered.
var bigToken = strings.Repeat("B", 3000)

// lowerKeyringLimit makes bigToken too big for the keyring.
func lowerKeyringLimit(t *testing.T) {
	old := maxKeyringItem
	maxKeyringItem = 2560
	t.Cleanup(func() { maxKeyringItem = old })
}

func TestStoreEvents(t *testing.T) {
	get := func(t *testing.T, s Store) { s.Get(testKey) }
	set := func(tok string) func(*testing.T, Store) {
		return func(t *testing.T, s Store) { s.Set(testKey, entry(tok)) }
	}
	list := func(t *testing.T, s Store) { s.List() }
	tests := []struct {
		name      string
		kind, bus string
		fake      *fakeKeyring
		plant     func(t *testing.T, dir string) // makes the situation, after Open
		do        []func(*testing.T, Store)
		atOpen    string // Name before any call
		after     string // Name after do
		want      []wantEvent
		modeBits  bool // the situation needs Unix permission bits
		dbus      bool // the situation needs a platform where auto checks the bus
	}{
		{name: "dir open to others, reported once", kind: "file", fake: &fakeKeyring{},
			plant: chmodDir(0o755), do: []func(*testing.T, Store){get, set(secret), get, list, set(secret)},
			atOpen: "file", after: "file", want: []wantEvent{{kind: DirRefused}}, modeBits: true},
		{name: "dir is a file", kind: "auto", fake: &fakeKeyring{},
			plant: replaceWithFile, do: []func(*testing.T, Store){get, set(secret)},
			atOpen: "file", after: "file", want: []wantEvent{{kind: DirRefused}}, dbus: true},
		{name: "no session bus: files from Open on, silently", kind: "auto", fake: &fakeKeyring{},
			do:     []func(*testing.T, Store){get, set(secret), get},
			atOpen: "file", after: "file", dbus: true},
		{name: "keyring fails: auto falls back", kind: "auto", bus: "unix:path=/fake",
			fake: &fakeKeyring{err: errors.New("org.freedesktop.DBus.Error.ServiceUnknown")},
			do:   []func(*testing.T, Store){get, set(secret), get}, atOpen: "keyring", after: "file",
			want: []wantEvent{{kind: KeyringUnavailable, is: ErrUnavailable}}},
		{name: "keyring answers", kind: "auto", bus: "unix:path=/fake", fake: &fakeKeyring{},
			do: []func(*testing.T, Store){get, set(secret), get, list}, atOpen: "keyring", after: "keyring"},
		{name: "token too big for the keyring", kind: "auto", bus: "unix:path=/fake", fake: &fakeKeyring{},
			plant: func(t *testing.T, _ string) { lowerKeyringLimit(t) }, do: []func(*testing.T, Store){set(secret), set(bigToken)},
			atOpen: "keyring", after: "keyring", want: []wantEvent{{kind: MovedToFile, key: testKey, is: ErrTooBig}}},
		{name: "old keyring copy not removed", kind: "auto", bus: "unix:path=/fake",
			fake:  &fakeKeyring{err: gokeyring.ErrSetDataTooBig}, // any answer but "unavailable"
			plant: func(t *testing.T, _ string) { lowerKeyringLimit(t) }, do: []func(*testing.T, Store){set(bigToken)},
			atOpen: "keyring", after: "keyring", want: []wantEvent{
				{kind: KeyringCopyNotRemoved, key: testKey, is: ErrTooBig}, {kind: MovedToFile, key: testKey, is: ErrTooBig}}},
		{name: "stale file not removed", kind: "auto", bus: "unix:path=/fake", fake: &fakeKeyring{},
			plant: mkdirAll(testKey.ID + ".json/x"), do: []func(*testing.T, Store){set(secret)},
			atOpen: "keyring", after: "keyring", want: []wantEvent{{kind: StaleFileNotRemoved, key: testKey}}},
		{name: "index not updated", kind: "file", fake: &fakeKeyring{},
			plant: mkdirAll(indexName + ".json/x"), do: []func(*testing.T, Store){set(secret), get},
			atOpen: "file", after: "file", want: []wantEvent{{kind: IndexNotUpdated, key: testKey}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.modeBits && runtime.GOOS == "windows" {
				t.Skip("Windows has no mode bits to refuse")
			}
			if tt.dbus && !oskeyring.UsesDBus {
				t.Skip("auto checks for a session bus only on D-Bus platforms")
			}
			t.Setenv("DBUS_SESSION_BUS_ADDRESS", tt.bus)
			s, dir, w := openFake(t, tt.kind, tt.fake, 0)
			if tt.plant != nil {
				tt.plant(t, dir)
			}
			if got := s.Name(); got != tt.atOpen {
				t.Errorf("Name() before any call = %q, want %q", got, tt.atOpen)
			}
			for _, do := range tt.do {
				do(t, s)
			}
			if got := s.Name(); got != tt.after {
				t.Errorf("Name() = %q, want %q", got, tt.after)
			}
			checkEvents(t, w.all(), tt.want, dir)
		})
	}
}

func checkEvents(t *testing.T, got []Event, want []wantEvent, dir string) {
	t.Helper()
	kinds := func(evs []Event) []EventKind {
		var ks []EventKind
		for _, ev := range evs {
			ks = append(ks, ev.Kind)
		}
		return ks
	}
	var wantKinds []EventKind
	for _, w := range want {
		wantKinds = append(wantKinds, w.kind)
	}
	if !slices.Equal(kinds(got), wantKinds) {
		t.Fatalf("event kinds = %v (%v), want %v", kinds(got), got, wantKinds)
	}
	for i, ev := range got {
		wantDir := ""
		if ev.Kind == DirRefused {
			wantDir = dir
			if cause := privfile.CheckDir(dir); ev.Err == nil || cause == nil || ev.Err.Error() != cause.Error() {
				t.Errorf("DirRefused.Err = %v, want what is wrong with the dir: %v", ev.Err, cause)
			}
		}
		if ev.Dir != wantDir || ev.Key != want[i].key || ev.Err == nil || want[i].is != nil && !errors.Is(ev.Err, want[i].is) {
			t.Errorf("event %d = %+v, want dir %q, key %+v, an Err wrapping %v", i, ev, wantDir, want[i].key, want[i].is)
		}
	}
}

func chmodDir(perm os.FileMode) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		if err := os.Chmod(dir, perm); err != nil {
			t.Fatal(err)
		}
	}
}

func replaceWithFile(t *testing.T, dir string) {
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, []byte("not a dir"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// mkdirAll plants a non-empty directory where the store expects a file, so
// that removing or replacing that file fails.
func mkdirAll(rel string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		if err := os.MkdirAll(filepath.Join(dir, filepath.FromSlash(rel)), 0o700); err != nil {
			t.Fatal(err)
		}
	}
}
