package tokens

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/keyring"
)

// memStore is an in-memory keyring.Store. Like the real backends it refuses
// keys that are not valid file names / keyring users.
type memStore struct {
	mu      sync.Mutex
	entries map[string]keyring.Entry
	labels  map[string]string
	getErr  error          // returned by every Get when set
	setErr  error          // returned by every Set when set
	onGet   func(call int) // runs before the call-th Get (1-based)
	gets    int
	sets    []keyring.Entry
}

var _ keyring.Store = (*memStore)(nil)

func newMemStore() *memStore {
	return &memStore{entries: map[string]keyring.Entry{}, labels: map[string]string{}}
}

func (s *memStore) Name() string { return "memory" }

func (s *memStore) Get(k keyring.Key) (keyring.Entry, error) {
	if err := k.Validate(); err != nil {
		return keyring.Entry{}, err
	}
	s.mu.Lock()
	s.gets++
	n, hook := s.gets, s.onGet
	s.mu.Unlock()
	if hook != nil {
		hook(n)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.getErr != nil {
		return keyring.Entry{}, s.getErr
	}
	e, ok := s.entries[k.ID]
	if !ok {
		return keyring.Entry{}, keyring.ErrNotFound
	}
	return e, nil
}

func (s *memStore) Set(k keyring.Key, e keyring.Entry) error {
	if err := k.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.setErr != nil {
		return s.setErr
	}
	s.entries[k.ID] = e
	s.labels[k.ID] = k.Label
	s.sets = append(s.sets, e)
	return nil
}

func (s *memStore) Delete(k keyring.Key) error {
	if err := k.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.entries, k.ID)
	delete(s.labels, k.ID)
	return nil
}

func (s *memStore) DeleteAll() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.entries)
	clear(s.labels)
	return nil
}

func (s *memStore) List() ([]keyring.Item, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var items []keyring.Item
	for id, e := range s.entries {
		items = append(items, keyring.Item{Key: keyring.Key{ID: id, Label: s.labels[id]}, Backend: "memory", Expiration: e.Expiration})
	}
	sort.Slice(items, func(i, j int) bool { return items[i].Key.ID < items[j].Key.ID })
	return items, nil
}

// put stores e under the key of t as the service would compute it.
func (s *memStore) put(t target.Target, getenv func(string) string, e keyring.Entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.entries[CacheKey(t, getenv).ID] = e
}

// fakeClock is a settable clock; fetches may advance it.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fakeFetcher answers Fetch with a fixed entry or error, and records calls.
type fakeFetcher struct {
	mu        sync.Mutex
	entry     keyring.Entry
	err       error
	took      time.Duration // the clock advances this much during a fetch
	clock     *fakeClock
	calls     int
	durations []time.Duration
	targets   []target.Target
	deadline  bool // every call had a context deadline
}

func (f *fakeFetcher) Fetch(ctx context.Context, t target.Target, d time.Duration) (keyring.Entry, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.durations = append(f.durations, d)
	f.targets = append(f.targets, t)
	_, hasDeadline := ctx.Deadline()
	f.deadline = hasDeadline && (f.calls == 1 || f.deadline)
	if f.clock != nil {
		f.clock.advance(f.took)
	}
	if f.err != nil {
		return keyring.Entry{}, f.err
	}
	return f.entry, nil
}

// recorder collects warnings and debug lines.
type recorder struct {
	mu    sync.Mutex
	warns []string
	debug []string
}

func (r *recorder) warn(msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.warns = append(r.warns, msg)
}

func (r *recorder) debugf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.debug = append(r.debug, fmt.Sprintf(format, args...))
}

func (r *recorder) all() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(append(append([]string{}, r.warns...), r.debug...), "\n")
}

// envMap is a getenv backed by a map.
func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

var errFake = errors.New("fake fetch failure")
