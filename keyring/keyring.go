package keyring

import (
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/ca-helper/ca-helper/keyring/oskeyring"
	gokeyring "github.com/zalando/go-keyring"
)

// keyringAPI is the part of go-keyring this package uses, and Users,
// which go-keyring lacks.
type keyringAPI interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
	// DeleteAll removes every item of service.
	DeleteAll(service string) error
	// Users lists the user names of service's items, or fails with
	// oskeyring.ErrNoListing where the keyring cannot be searched.
	Users(service string) ([]string, error)
}

// osKeyring is the real OS keyring: go-keyring, except for Get on D-Bus
// platforms, which reads the Secret Service itself in fewer round trips
// (oskeyring.Get).
type osKeyring struct{}

func (osKeyring) Get(service, user string) (string, error) { return oskeyring.Get(service, user) }
func (osKeyring) Set(service, user, secret string) error   { return gokeyring.Set(service, user, secret) }
func (osKeyring) Delete(service, user string) error        { return gokeyring.Delete(service, user) }
func (osKeyring) DeleteAll(service string) error           { return gokeyring.DeleteAll(service) }
func (osKeyring) Users(service string) ([]string, error)   { return oskeyring.Users(service) }

// maxKeyringItem is the largest keyring item, in bytes as stored, that Set
// writes: this platform's entry of oskeyring's table. Tests change it.
var maxKeyringItem = oskeyring.MaxStored(runtime.GOOS)

// keyringStore keeps entries in the OS keyring (service "ca-helper", user
// = key ID) and their labels and expirations in the cache dir's index.json,
// which List falls back to where the keyring cannot be searched (see
// keyring_list.go). Every keyring call runs under a timeout.
type keyringStore struct {
	dir     *privateDir
	api     keyringAPI
	timeout time.Duration
	hung    atomic.Bool // a call timed out; later calls fail fast
}

var _ Store = (*keyringStore)(nil)

func newKeyringStore(dir *privateDir, timeout time.Duration) *keyringStore {
	return &keyringStore{dir: dir, api: osKeyring{}, timeout: timeout}
}

func (s *keyringStore) Name() string { return "keyring" }

// sessionBusMissing reports why go-keyring must not be called on a D-Bus
// platform: with no session bus address it would try to autolaunch a bus.
func sessionBusMissing() error {
	if oskeyring.SessionBusMissing() {
		return fmt.Errorf("%w: %w", ErrUnavailable, errNoBusAddress)
	}
	return nil
}

// call runs fn in a goroutine and gives up after d. A call that does not
// answer is left behind (go-keyring cannot be cancelled) and makes every
// later call on this store fail at once instead of piling up.
func (s *keyringStore) call(d time.Duration, op string, fn func() error) error {
	if s.hung.Load() {
		return fmt.Errorf("%w: %w", ErrUnavailable, noAnswerError{Op: op})
	}
	if err := sessionBusMissing(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- fn() }()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case err := <-done:
		switch {
		case err == nil:
			return nil
		case errors.Is(err, gokeyring.ErrNotFound):
			return ErrNotFound
		case errors.Is(err, oskeyring.ErrNoListing):
			return err // an answer: the caller uses the index
		case errors.Is(err, gokeyring.ErrSetDataTooBig):
			return fmt.Errorf("keyring %s: %w", op, ErrTooBig)
		}
		return fmt.Errorf("%w: keyring %s: %w", ErrUnavailable, op, err)
	case <-t.C:
		s.hung.Store(true)
		return fmt.Errorf("%w: %w", ErrUnavailable, noAnswerError{Op: op, Timeout: d})
	}
}

func (s *keyringStore) Get(k Key) (Entry, error) { return s.get(s.timeout, k) }

func (s *keyringStore) get(d time.Duration, k Key) (Entry, error) {
	if err := k.Validate(); err != nil {
		return Entry{}, err
	}
	var v string
	if err := s.call(d, "get", func() (err error) { v, err = s.api.Get(Service, k.ID); return err }); err != nil {
		return Entry{}, err
	}
	e, err := Decode([]byte(v))
	if err != nil {
		return Entry{}, fmt.Errorf("%w: keyring entry %s: %w", ErrNotFound, k.ID, err)
	}
	return e, nil
}

func (s *keyringStore) Set(k Key, e Entry) error { return s.set(s.timeout, k, e) }

func (s *keyringStore) set(d time.Duration, k Key, e Entry) error {
	if err := k.Validate(); err != nil {
		return err
	}
	b, err := Encode(e)
	if err != nil {
		return err
	}
	if n := oskeyring.StoredSize(runtime.GOOS, Service, k.ID, len(b)); n > maxKeyringItem {
		return fmt.Errorf("keyring set: %d byte entry takes %d bytes, more than the %d this keyring holds: %w", len(b), n, maxKeyringItem, ErrTooBig)
	}
	if err := s.call(d, "set", func() error { return s.api.Set(Service, k.ID, string(b)) }); err != nil {
		return err
	}
	s.dir.indexPut(k, "keyring", e.Expiration)
	return nil
}

func (s *keyringStore) Delete(k Key) error { return s.delete(s.timeout, k) }

func (s *keyringStore) delete(d time.Duration, k Key) error {
	if err := k.Validate(); err != nil {
		return err
	}
	err := s.call(d, "delete", func() error { return s.api.Delete(Service, k.ID) })
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	s.dir.indexRemove(k, "keyring")
	return nil
}
