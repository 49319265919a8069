package keyring

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// afterLogout stores testKey through a store of kind on fake, then returns
// a store of kind on the same keyring with a fresh cache dir: what ca-helper
// sees after a logout wiped XDG_RUNTIME_DIR (and index.json with it).
func afterLogout(t *testing.T, kind string, fake *fakeKeyring) (Store, string) {
	t.Helper()
	s, _, _ := openFake(t, kind, fake, 0)
	if err := s.Set(testKey, entry(secret)); err != nil {
		t.Fatal(err)
	}
	later, dir, _ := openFake(t, kind, fake, 0)
	return later, dir
}

// TestKeyringListWithoutIndex: where the keyring can be searched, List finds
// its items without index.json (labelled by key ID); where it cannot (macOS,
// Windows), the index is all there is.
func TestKeyringListWithoutIndex(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/fake")
	for _, kind := range []string{"keyring", "auto"} {
		for _, noListing := range []bool{false, true} {
			name := kind + "/searchable"
			if noListing {
				name = kind + "/no listing"
			}
			t.Run(name, func(t *testing.T) {
				fake := &fakeKeyring{noListing: noListing}
				s, _ := afterLogout(t, kind, fake)
				fake.items["other-service/"+testKey.ID] = "not ours"
				fake.items[Service+"/Not A Key ID"] = "not ours either"
				items, err := s.List()
				if err != nil {
					t.Fatal(err)
				}
				want := 1
				if noListing {
					want = 0
				}
				if len(items) != want {
					t.Fatalf("List = %+v, want %d items", items, want)
				}
				if want == 1 && (items[0].Key != Key{ID: testKey.ID, Label: testKey.ID} ||
					items[0].Backend != "keyring" || !items[0].Expiration.Equal(entry(secret).Expiration)) {
					t.Errorf("List = %+v, want %s in the keyring, labelled by its ID, with its expiration", items, testKey.ID)
				}
			})
		}
	}
}

// TestKeyringListCorruptItem: an item that does not decode is listed (erase
// removes it too), with no expiration.
func TestKeyringListCorruptItem(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/fake")
	fake := &fakeKeyring{items: map[string]string{Service + "/" + testKey.ID: "garbage"}}
	s, _, _ := openFake(t, "keyring", fake, 0)
	items, err := s.List()
	if err != nil || len(items) != 1 || items[0].Key.ID != testKey.ID || !items[0].Expiration.IsZero() {
		t.Errorf("List = %+v, %v; want the corrupt item with no expiration", items, err)
	}
}

// TestDeleteAllWithoutIndex: DeleteAll removes every item of the keyring,
// which go-keyring finds on every platform, and every entry file, whatever
// the index says.
func TestDeleteAllWithoutIndex(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/fake")
	for _, kind := range []string{"keyring", "auto", "file"} {
		for _, noListing := range []bool{false, true} {
			name := kind + "/searchable"
			if noListing {
				name = kind + "/no listing"
			}
			t.Run(name, func(t *testing.T) {
				fake := &fakeKeyring{noListing: noListing}
				s, dir := afterLogout(t, kind, fake)
				other := Key{ID: "another-key", Label: "another"}
				if err := s.Set(other, entry(secret)); err != nil {
					t.Fatal(err)
				}
				if kind == "file" {
					os.Remove(filepath.Join(dir, indexName+".json"))
				}
				fake.items["other-service/x"] = "not ours"
				if err := s.DeleteAll(); err != nil {
					t.Fatal(err)
				}
				if len(fake.items) != 1 || fake.items["other-service/x"] == "" {
					t.Errorf("keyring after DeleteAll: %d items, want only the other service's", len(fake.items))
				}
				for _, k := range []Key{testKey, other} {
					if _, err := s.Get(k); !errors.Is(err, ErrNotFound) {
						t.Errorf("Get(%s) after DeleteAll = %v, want ErrNotFound", k.ID, err)
					}
				}
				if items, err := s.List(); err != nil || len(items) != 0 {
					t.Errorf("List after DeleteAll = %+v, %v", items, err)
				}
			})
		}
	}
}

// TestAutoDeleteAllKeyringGone: when the keyring does not answer and the
// index says it holds entries, DeleteAll fails: tokens are still stored.
func TestAutoDeleteAllKeyringGone(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/fake")
	fake := &fakeKeyring{}
	s, dir, _ := openFake(t, "auto", fake, 0)
	if err := s.Set(testKey, entry(secret)); err != nil {
		t.Fatal(err)
	}
	later, _ := Open("auto", Options{Dir: dir})
	later.(*autoStore).kr.api = &fakeKeyring{err: errors.New("org.freedesktop.DBus.Error.ServiceUnknown")}
	if err := later.DeleteAll(); !errors.Is(err, ErrUnavailable) {
		t.Errorf("DeleteAll with the keyring gone = %v, want ErrUnavailable", err)
	}
}
