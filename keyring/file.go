package keyring

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/ca-helper/ca-helper/keyring/privfile"
)

// fileStore keeps one file, dir/<ID>.json, per key. Files are created 0600
// and replaced atomically; the directory must be private to the user.
type fileStore struct {
	dir *privateDir
}

var _ Store = (*fileStore)(nil)

func (s *fileStore) Name() string { return "file" }

func (s *fileStore) path(k Key) string { return s.dir.file(k.ID + ".json") }

// Get reads the entry of k. Every reason not to trust the file — missing,
// unsafe dir, symlink, too big, corrupt — is reported as ErrNotFound.
func (s *fileStore) Get(k Key) (Entry, error) {
	if err := k.Validate(); err != nil {
		return Entry{}, err
	}
	if err := s.dir.check(); err != nil {
		return Entry{}, miss(err)
	}
	b, err := privfile.ReadCapped(s.path(k), maxEntrySize)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return Entry{}, ErrNotFound
		}
		return Entry{}, fmt.Errorf("%w: unusable cache file %s: %w", ErrNotFound, s.path(k), err)
	}
	e, err := Decode(b)
	if err != nil {
		return Entry{}, fmt.Errorf("%w: %s: %w", ErrNotFound, s.path(k), err)
	}
	return e, nil
}

// miss turns an error into one wrapping ErrNotFound (keeping its cause).
func miss(err error) error {
	if errors.Is(err, ErrNotFound) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrNotFound, err)
}

// Set writes the entry of k atomically and records its label in the index.
func (s *fileStore) Set(k Key, e Entry) error {
	if err := k.Validate(); err != nil {
		return err
	}
	b, err := Encode(e)
	if err != nil {
		return err
	}
	if len(b) > maxEntrySize {
		return fmt.Errorf("store token in file: %d byte entry: %w", len(b), ErrTooBig)
	}
	if err := s.dir.ensure(); err != nil {
		return fmt.Errorf("store token in file: %w", err)
	}
	if err := privfile.WriteAtomic(s.dir.path, k.ID+".json", b); err != nil {
		return fmt.Errorf("store token in file: %w", err)
	}
	s.dir.indexPut(k, "file", e.Expiration)
	return nil
}

// Delete removes the file of k; a missing file is fine.
func (s *fileStore) Delete(k Key) error {
	if err := k.Validate(); err != nil {
		return err
	}
	if err := s.dir.check(); err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		return fmt.Errorf("delete cached token: %w", err)
	}
	if err := os.Remove(s.path(k)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("delete cached token: %w", err)
	}
	s.dir.indexRemove(k, "file")
	return nil
}

// DeleteAll removes every entry file, readable or not.
func (s *fileStore) DeleteAll() error {
	ids, err := s.ids()
	if err != nil {
		return fmt.Errorf("delete cached tokens: %w", err)
	}
	for _, id := range ids {
		if err := os.Remove(s.path(Key{ID: id})); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("delete cached token: %w", err)
		}
	}
	s.dir.indexRemoveAll("file")
	return nil
}

// ids returns the key IDs of the entry files; none if the dir is missing,
// an error wrapping ErrUnavailable if it is refused.
func (s *fileStore) ids() ([]string, error) {
	if err := s.dir.check(); err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, nil
		}
		return nil, err
	}
	des, err := os.ReadDir(s.dir.path)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, de := range des {
		if id, ok := strings.CutSuffix(de.Name(), ".json"); ok && (Key{ID: id}).Validate() == nil {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// List describes every readable entry file; labels come from the index.
func (s *fileStore) List() ([]Item, error) {
	ids, err := s.ids()
	if err != nil {
		return nil, fmt.Errorf("list cached tokens: %w", err)
	}
	idx := s.dir.readIndex()
	var items []Item
	for _, id := range ids {
		k := Key{ID: id}
		e, err := s.Get(k)
		if err != nil {
			continue
		}
		k.Label = idx[k.ID].Label
		if k.Label == "" {
			k.Label = k.ID
		}
		items = append(items, Item{Key: k, Backend: "file", Expiration: e.Expiration})
	}
	sortItems(items)
	return items, nil
}
