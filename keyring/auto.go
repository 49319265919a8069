package keyring

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// autoStore uses the keyring while it answers and files otherwise. The
// first keyring call is the probe and gets a short timeout; if it fails,
// this store uses files for the rest of the process. Tokens too big for
// the keyring always go to a file.
type autoStore struct {
	kr     *keyringStore
	file   *fileStore
	report func(Event)
	probe  time.Duration

	mu    sync.Mutex
	state autoState
}

type autoState int

const (
	unprobed autoState = iota
	useKeyring
	useFile
)

var _ Store = (*autoStore)(nil)

func newAutoStore(dir *privateDir, o Options) *autoStore {
	a := &autoStore{
		kr:     newKeyringStore(dir, o.Timeout),
		file:   &fileStore{dir: dir},
		report: o.Report,
		probe:  min(o.Timeout, probeTimeout),
	}
	if sessionBusMissing() != nil {
		a.state = useFile // headless: do not let go-keyring autolaunch a bus
	}
	return a
}

// Name reports "file" once the keyring has been given up, else "keyring".
func (a *autoStore) Name() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.state == useFile {
		return "file"
	}
	return "keyring"
}

// keyringTimeout returns the timeout for the next keyring call, or false
// if the keyring is not in use.
func (a *autoStore) keyringTimeout() (time.Duration, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	switch a.state {
	case useFile:
		return 0, false
	case useKeyring:
		return a.kr.timeout, true
	}
	return a.probe, true
}

// answered records the outcome of a keyring call and reports whether the
// keyring answered; if it did not, the store switches to files.
func (a *autoStore) answered(err error) bool {
	if !errors.Is(err, ErrUnavailable) {
		a.mu.Lock()
		if a.state == unprobed {
			a.state = useKeyring
		}
		a.mu.Unlock()
		return true
	}
	a.mu.Lock()
	gaveUp := a.state != useFile
	a.state = useFile
	a.mu.Unlock()
	if gaveUp { // outside the lock: Report may ask Name what was chosen
		a.report(Event{Kind: KeyringUnavailable, Err: err})
	}
	return false
}

// Get looks in the keyring first, then in the file store, which holds the
// tokens that were too big for the keyring.
func (a *autoStore) Get(k Key) (Entry, error) {
	if err := k.Validate(); err != nil {
		return Entry{}, err
	}
	if d, ok := a.keyringTimeout(); ok {
		e, err := a.kr.get(d, k)
		if a.answered(err) && !errors.Is(err, ErrNotFound) {
			return e, err
		}
	}
	return a.file.Get(k)
}

// Set stores in the keyring if it answers, else in a file.
func (a *autoStore) Set(k Key, e Entry) error {
	if err := k.Validate(); err != nil {
		return err
	}
	if _, err := Encode(e); err != nil {
		return err
	}
	d, ok := a.keyringTimeout()
	if !ok {
		return a.file.Set(k, e)
	}
	err := a.kr.set(d, k, e)
	if errors.Is(err, ErrTooBig) {
		// An older keyring copy would shadow the file: remove it first.
		if err := a.kr.delete(d, k); a.answered(err) && err != nil {
			a.report(Event{Kind: KeyringCopyNotRemoved, Key: k, Err: err})
		}
		a.report(Event{Kind: MovedToFile, Key: k, Err: err})
		return a.file.Set(k, e)
	}
	if !a.answered(err) {
		return a.file.Set(k, e)
	}
	if err != nil {
		return err
	}
	// A file copy from an earlier run without keyring is stale now.
	if err := a.file.Delete(k); err != nil {
		a.report(Event{Kind: StaleFileNotRemoved, Key: k, Err: err})
	}
	return nil
}

// Delete removes both copies. If the keyring does not answer and the index
// says it holds the entry, that is an error: the token is still stored.
func (a *autoStore) Delete(k Key) error {
	if err := k.Validate(); err != nil {
		return err
	}
	if err := a.file.Delete(k); err != nil {
		return err
	}
	var err error = fmt.Errorf("%w: keyring not in use", ErrUnavailable)
	if d, ok := a.keyringTimeout(); ok {
		err = a.kr.delete(d, k)
		if a.answered(err) {
			return err
		}
	}
	if a.kr.dir.readIndex()[k.ID].Backend == "keyring" {
		return fmt.Errorf("delete %s from keyring: %w", k.ID, err)
	}
	return nil
}

// DeleteAll removes every entry file and every keyring item. If the
// keyring does not answer and the index says it holds entries, that is an
// error: tokens are still stored.
func (a *autoStore) DeleteAll() error {
	if err := a.file.DeleteAll(); err != nil {
		return err
	}
	var err error = fmt.Errorf("%w: keyring not in use", ErrUnavailable)
	if d, ok := a.keyringTimeout(); ok {
		err = a.kr.deleteAll(d)
		if a.answered(err) {
			return err
		}
	}
	if len(a.kr.indexed()) > 0 {
		return fmt.Errorf("delete all from keyring: %w", err)
	}
	return nil
}

// keyringItems lists the keyring while it is in use and answers, else
// reports what the index says it holds.
func (a *autoStore) keyringItems() []Item {
	if d, ok := a.keyringTimeout(); ok {
		items, err := a.kr.list(d)
		if a.answered(err) && err == nil {
			return items
		}
	}
	return a.kr.indexed()
}

// List merges the keyring's items and the entry files. An ID in both is
// reported where Get would find it.
func (a *autoStore) List() ([]Item, error) {
	files, err := a.file.List()
	if err != nil {
		return nil, err
	}
	kr := a.keyringItems()
	preferKeyring := a.Name() == "keyring"
	seen := map[string]int{}
	items := kr
	for i, it := range kr {
		seen[it.Key.ID] = i
	}
	for _, it := range files {
		if i, ok := seen[it.Key.ID]; ok {
			if !preferKeyring {
				items[i] = it
			}
			continue
		}
		items = append(items, it)
	}
	sortItems(items)
	return items, nil
}
