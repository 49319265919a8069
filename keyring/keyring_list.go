package keyring

import (
	"errors"
	"sort"
	"time"

	"github.com/ca-helper/ca-helper/keyring/oskeyring"
)

// deleteAllRounds is how many single-call timeouts DeleteAll may take: it
// is one call to go-keyring, which makes a round trip per item (on macOS it
// runs `security` once per item).
const deleteAllRounds = 5

// List describes the keyring's entries. Where the keyring can be searched
// (the Secret Service) it asks the keyring for every item under Service,
// so that entries are found without index.json, which lives in a dir that
// is wiped at logout while the keyring keeps its items; labels still come
// from the index when it has them (else the label is the key ID). Where
// go-keyring cannot list (macOS, Windows), it reports what the index says.
func (s *keyringStore) List() ([]Item, error) { return s.list(s.timeout) }

func (s *keyringStore) list(d time.Duration) ([]Item, error) {
	var users []string
	err := s.call(d, "list", func() (err error) { users, err = s.api.Users(Service); return err })
	if errors.Is(err, oskeyring.ErrNoListing) {
		return s.indexed(), nil
	}
	if err != nil {
		return nil, err
	}
	idx := s.dir.readIndex()
	var items []Item
	for _, id := range users {
		k := Key{ID: id, Label: idx[id].Label}
		if k.Validate() != nil {
			continue // no ID this package writes
		}
		it, err := s.describe(d, k)
		if errors.Is(err, ErrUnavailable) {
			return nil, err
		}
		if err == nil {
			items = append(items, it)
		}
	}
	sortItems(items)
	return items, nil
}

// describe reads k's entry for its expiration. An entry that does not
// decode is still listed (with no expiration: "expired"), since erase
// removes it too; one deleted since the search is not.
func (s *keyringStore) describe(d time.Duration, k Key) (Item, error) {
	if k.Label == "" {
		k.Label = k.ID
	}
	it := Item{Key: k, Backend: "keyring"}
	e, err := s.get(d, k)
	switch {
	case err == nil:
		it.Expiration = e.Expiration
	case !errors.Is(err, ErrCorrupt):
		return Item{}, err
	}
	return it, nil
}

// indexed is what the index says is in the keyring.
func (s *keyringStore) indexed() []Item {
	var items []Item
	for id, e := range s.dir.readIndex() {
		if e.Backend != "keyring" || (Key{ID: id}).Validate() != nil {
			continue
		}
		label := e.Label
		if label == "" {
			label = id
		}
		items = append(items, Item{Key: Key{ID: id, Label: label}, Backend: "keyring", Expiration: e.Expiration})
	}
	sortItems(items)
	return items
}

func sortItems(items []Item) {
	sort.Slice(items, func(i, j int) bool { return items[i].Key.ID < items[j].Key.ID })
}

// DeleteAll removes every item under Service, as the keyring finds them
// (go-keyring's DeleteAll: a search on the Secret Service, the credential
// list on Windows, `security` until none is left on macOS), not as the
// index lists them, and then forgets them in the index.
func (s *keyringStore) DeleteAll() error { return s.deleteAll(s.timeout) }

func (s *keyringStore) deleteAll(d time.Duration) error {
	err := s.call(deleteAllRounds*d, "delete all", func() error { return s.api.DeleteAll(Service) })
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	s.dir.indexRemoveAll("keyring")
	return nil
}
