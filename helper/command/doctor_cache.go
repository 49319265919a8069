package command

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

// doctorCache probes the store `get` would open, with this target's key: the
// read shows whether the keyring answers, and whether a token is cached.
type doctorCache struct {
	t      target.Target
	getenv func(string) string
}

func (dc doctorCache) Probe(_ context.Context, kind string) doctor.CacheState {
	st := doctor.CacheState{Backend: kind}
	dir, err := keyring.DefaultDir()
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
	var mu sync.Mutex
	var warns []string
	store, err := keyring.Open(kind, keyring.Options{Dir: dir, Warn: func(m string) {
		mu.Lock()
		warns = append(warns, m)
		mu.Unlock()
	}})
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
		st.KeyringErr = strings.TrimPrefix(err.Error(), keyring.ErrUnavailable.Error()+": ")
	}
	mu.Lock()
	defer mu.Unlock()
	for _, w := range warns {
		if rest, ok := strings.CutPrefix(w, "ignoring cache dir "+dir+": "); ok {
			st.DirProblem = rest
		} else if _, rest, ok := strings.Cut(w, "keyring not used, caching tokens in files: "); ok {
			st.KeyringErr = strings.TrimPrefix(rest, keyring.ErrUnavailable.Error()+": ")
		}
	}
	return st
}
