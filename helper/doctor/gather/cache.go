package gather

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/ca-helper/ca-helper/helper/doctor"
	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/helper/tokens"
	"github.com/ca-helper/ca-helper/keyring"
)

// cacheProbe probes the store `get` would open, with this target's key: the
// read shows whether the keyring answers, and whether a token is cached.
type cacheProbe struct {
	t      target.Target
	getenv func(string) string
	// open opens the store; nil means keyring.Open. Tests script it.
	open func(kind string, o keyring.Options) (keyring.Store, error)
}

func (dc cacheProbe) Probe(_ context.Context, kind string) doctor.CacheState {
	st := doctor.CacheState{Backend: kind}
	dir, err := keyring.DefaultDir(dc.getenv)
	if err != nil {
		st.Err = err.Error()
		return st
	}
	st.Dir = dir
	if fi, err := os.Stat(dir); err == nil {
		st.DirExists, st.DirMode = true, fi.Mode()
	} else if !errors.Is(err, fs.ErrNotExist) {
		st.DirProblem = err.Error()
	}
	var evs eventLog
	store, err := dc.openStore(kind, keyring.Options{Dir: dir, Report: evs.add})
	if err != nil {
		st.Err = err.Error()
		return st
	}
	st.NoBus = kind == "auto" && store.Name() == "file" // decided before any keyring call
	start := time.Now()
	entry, err := store.Get(tokens.CacheKey(dc.t, dc.getenv))
	st.Took, st.Backend = time.Since(start), store.Name()
	switch {
	case err == nil:
		st.Cached = entry.Expiration // the token itself is dropped here
	case !errors.Is(err, keyring.ErrNotFound):
		st.KeyringErr = unavailableCause(err)
	}
	for _, ev := range evs.all() {
		noteEvent(&st, ev)
	}
	return st
}

func (dc cacheProbe) openStore(kind string, o keyring.Options) (keyring.Store, error) {
	if dc.open != nil {
		return dc.open(kind, o)
	}
	return keyring.Open(kind, o)
}

// noteEvent records what the store reported about the dir and the keyring.
// It reads the event's kind and cause only: the rendered warning is for
// people and may be reworded.
func noteEvent(st *doctor.CacheState, ev keyring.Event) {
	if ev.Err == nil {
		return
	}
	switch ev.Kind {
	case keyring.DirRefused:
		st.DirProblem = ev.Err.Error()
	case keyring.KeyringUnavailable:
		st.KeyringErr = unavailableCause(ev.Err)
	}
}

// unavailableCause is err's text without the leading ErrUnavailable text,
// which doctor's own sentence already conveys.
func unavailableCause(err error) string {
	return strings.TrimPrefix(err.Error(), keyring.ErrUnavailable.Error()+": ")
}

// eventLog collects the events a store reports, from any goroutine.
type eventLog struct {
	mu     sync.Mutex
	events []keyring.Event
}

func (l *eventLog) add(ev keyring.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, ev)
}

func (l *eventLog) all() []keyring.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]keyring.Event(nil), l.events...)
}
