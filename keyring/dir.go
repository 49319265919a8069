package keyring

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ca-helper/ca-helper/keyring/lock"
	"github.com/ca-helper/ca-helper/keyring/privfile"
)

// maxEntrySize caps what is read from or written to one entry file (real
// tokens are about 2 KB), so that a huge garbage file is a cache miss
// rather than an out-of-memory.
const maxEntrySize = 1 << 20

// maxIndexSize caps index.json.
const maxIndexSize = 1 << 20

// indexName is the base name of the index file; no key may use it as ID.
const indexName = "index"

// indexLockWait bounds how long an index update waits for another process.
const indexLockWait = 2 * time.Second

// privateDir is the cache directory: created 0700, used only while it is
// owned by us and closed to group and others.
type privateDir struct {
	path   string
	report func(Event)
}

// ensure creates the directory if needed and checks that it is private.
func (d *privateDir) ensure() error {
	if err := os.MkdirAll(d.path, 0o700); err != nil {
		return fmt.Errorf("%w: create cache dir: %w", ErrUnavailable, err)
	}
	return d.check()
}

// check returns an error wrapping ErrUnavailable, and reports DirRefused,
// unless the directory exists and is private. A missing directory wraps
// ErrNotFound.
func (d *privateDir) check() error {
	err := privfile.CheckDir(d.path)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%w: cache dir does not exist", ErrNotFound)
	}
	if err != nil {
		ev := Event{Kind: DirRefused, Dir: d.path, Err: err}
		d.report(ev)
		return fmt.Errorf("%w: %s", ErrUnavailable, ev)
	}
	return nil
}

func (d *privateDir) file(name string) string { return filepath.Join(d.path, name) }

// Lock takes the per-key lock dir/<ID>.lock, so that concurrent cold gets of
// one key on one machine make a single fetch. It waits up to wait (or until
// ctx ends) and then returns an error wrapping ErrLockTimeout (or ctx's
// error): the caller should proceed alone. See lock.Acquire.
//
// A dir the stores refuse (another owner, open to group or others) gets no
// lock at all, not even an attempt: whoever can create files there could
// hold the lock file open and stall every get. Lock then returns an error
// wrapping ErrUnavailable at once, and the caller proceeds alone.
func Lock(ctx context.Context, dir string, k Key, wait time.Duration) (unlock func(), err error) {
	if err := k.Validate(); err != nil {
		return nil, err
	}
	d := &privateDir{path: dir, report: func(Event) {}} // the store reports the refused dir
	if err := d.ensure(); err != nil {
		return nil, fmt.Errorf("no lock in cache dir %s: %w", dir, err)
	}
	return lock.Acquire(ctx, dir, k.ID+".lock", wait)
}

// indexEntry is what index.json knows about one key: never the token.
type indexEntry struct {
	Label      string    `json:"label"`
	Backend    string    `json:"backend"`
	Expiration time.Time `json:"expiration"`
}

type indexFile struct {
	V       int                   `json:"v"`
	Entries map[string]indexEntry `json:"entries"`
}

// readIndex returns the index; a missing, unsafe or corrupt index is empty.
func (d *privateDir) readIndex() map[string]indexEntry {
	var idx indexFile
	if d.check() == nil {
		if b, err := privfile.ReadCapped(d.file(indexName+".json"), maxIndexSize); err == nil {
			if json.Unmarshal(b, &idx) != nil || idx.V != 1 {
				idx.Entries = nil
			}
		}
	}
	if idx.Entries == nil {
		idx.Entries = map[string]indexEntry{}
	}
	return idx.Entries
}

// updateIndex applies fn to the index under the index lock and writes it
// back atomically. If another process holds the lock too long, it proceeds:
// the index is only a listing aid. Every write to the cache comes here, so
// this is also where temp files left by killed writes are swept.
func (d *privateDir) updateIndex(fn func(map[string]indexEntry)) error {
	if err := d.ensure(); err != nil {
		return err
	}
	if err := d.sweep(); err != nil {
		d.report(Event{Kind: LeftoversNotRemoved, Dir: d.path, Err: err})
	}
	unlock, err := lock.Acquire(context.Background(), d.path, indexName+".lock", indexLockWait)
	if err == nil {
		defer unlock()
	}
	entries := d.readIndex()
	fn(entries)
	b, err := json.Marshal(indexFile{V: 1, Entries: entries})
	if err != nil {
		return err
	}
	if err := privfile.WriteAtomic(d.path, indexName+".json", b); err != nil {
		return fmt.Errorf("write cache index: %w", err)
	}
	return nil
}

// indexPut records k as stored in backend until exp.
func (d *privateDir) indexPut(k Key, backend string, exp time.Time) {
	err := d.updateIndex(func(m map[string]indexEntry) {
		m[k.ID] = indexEntry{Label: k.Label, Backend: backend, Expiration: exp.UTC()}
	})
	if err != nil {
		d.report(Event{Kind: IndexNotUpdated, Key: k, Err: err})
	}
}

// indexRemove forgets k if the index has it under backend.
func (d *privateDir) indexRemove(k Key, backend string) {
	if e, ok := d.readIndex()[k.ID]; !ok || e.Backend != backend {
		return
	}
	err := d.updateIndex(func(m map[string]indexEntry) {
		if m[k.ID].Backend == backend {
			delete(m, k.ID)
		}
	})
	if err != nil {
		d.report(Event{Kind: IndexNotUpdated, Key: k, Err: err})
	}
}

// indexRemoveAll forgets every key the index has under backend.
func (d *privateDir) indexRemoveAll(backend string) {
	has := false
	for _, e := range d.readIndex() {
		has = has || e.Backend == backend
	}
	if !has {
		return
	}
	err := d.updateIndex(func(m map[string]indexEntry) {
		for id, e := range m {
			if e.Backend == backend {
				delete(m, id)
			}
		}
	})
	if err != nil {
		d.report(Event{Kind: IndexNotUpdated, Err: err})
	}
}
