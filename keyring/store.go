package keyring

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/ca-helper/ca-helper/keyring/lock"
)

// Sentinel errors; compare with errors.Is.
var (
	// ErrNotFound means there is no usable entry for the key. Corrupt and
	// unreadable entries are reported as ErrNotFound too (wrapping
	// ErrCorrupt where that is the cause): to callers they are a miss.
	ErrNotFound = errors.New("no cached token")
	// ErrCorrupt means a stored value is not a complete version 1 entry.
	ErrCorrupt = errors.New("corrupt cache entry")
	// ErrUnavailable means the backend cannot be used right now: no
	// keyring, a keyring that did not answer in time, an unsafe cache dir.
	ErrUnavailable = errors.New("token storage unavailable")
	// ErrTooBig means the value is larger than the backend accepts.
	ErrTooBig = errors.New("token too big to store")
	// ErrLockTimeout means another process held the lock for longer than
	// the caller wanted to wait; the caller should proceed alone.
	ErrLockTimeout = lock.ErrTimeout
	// ErrNoDir means no cache directory can be named: none of DirVars is
	// set (XDG_* must be absolute). A store that needs no directory
	// ("none") does not ask for one.
	ErrNoDir = errors.New("no cache directory")
)

// Service is the keyring service name every entry is stored under.
const Service = "ca-helper"

// Key names one cached token. ID is safe as a file name and as a keyring
// user name; Label is for people.
type Key struct {
	ID    string // [a-z0-9._-], starts with a letter or digit, at most 120 chars
	Label string // e.g. "CodeArtifact token my-domain-111122223333 (eu-west-1)"
}

// validID is ^[a-z0-9][a-z0-9._-]{0,119}$, written as a loop: it runs on
// every cached get, where compiling a pattern at start-up costs more.
func validID(id string) bool {
	if id == "" || len(id) > 120 || id[0] == '.' || id[0] == '_' || id[0] == '-' {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// Validate reports whether k.ID can be used as a file name and keyring user.
func (k Key) Validate() error {
	if !validID(k.ID) || k.ID == indexName {
		return fmt.Errorf("invalid cache key id %q: want [a-z0-9._-], at most 120 chars", k.ID)
	}
	return nil
}

// Item describes one cached token without the token.
type Item struct {
	Key        Key
	Backend    string // "keyring" or "file"
	Expiration time.Time
}

// Store keeps entries by key.
type Store interface {
	// Name is the backend in use: "keyring", "file" or "none". An "auto"
	// store says "file" from Open on when it will not try the keyring at
	// all (no D-Bus session bus), and from its first unanswered keyring call
	// on otherwise (reported as a KeyringUnavailable event).
	Name() string
	// Get returns the entry for k or an error wrapping ErrNotFound.
	Get(k Key) (Entry, error)
	// Set stores e under k, replacing what was there.
	Set(k Key, e Entry) error
	// Delete removes k; a missing entry is not an error.
	Delete(k Key) error
	// DeleteAll removes every entry this tool stored in the backend, also
	// those the index does not know of.
	DeleteAll() error
	// List describes every entry this tool stored; see keyringStore.List
	// for what the keyring backend can see.
	List() ([]Item, error)
}

// Options configure Open.
type Options struct {
	Dir     string        // cache dir; "" means DefaultDir(os.Getenv)
	Timeout time.Duration // per keyring call; 0 means 3s
	// Report, if set, receives each distinct non-fatal Event once; it may
	// be called from several goroutines at a time.
	Report func(Event)
}

// DefaultTimeout bounds each keyring call when Options.Timeout is 0.
const DefaultTimeout = 3 * time.Second

// probeTimeout caps the first keyring call of an "auto" store.
const probeTimeout = time.Second

// DefaultDir returns $CA_HELPER_CACHE_DIR, else $XDG_RUNTIME_DIR/ca-helper,
// else the user cache dir + /ca-helper, reading the environment through
// getenv (os.Getenv, or a command's injected one).
func DefaultDir(getenv func(string) string) (string, error) {
	if d := getenv("CA_HELPER_CACHE_DIR"); d != "" {
		return filepath.Abs(d)
	}
	if d := getenv("XDG_RUNTIME_DIR"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "ca-helper"), nil
	}
	d := userCacheDir(getenv)
	if d == "" {
		return "", fmt.Errorf("%w: %s are all unset or not absolute paths", ErrNoDir, strings.Join(DirVars(), ", "))
	}
	return filepath.Join(d, "ca-helper"), nil
}

// DirVars are the variables DefaultDir reads on this system, in the order it
// tries them, for messages that tell the user what to set.
func DirVars() []string {
	switch runtime.GOOS {
	case "windows":
		return []string{"CA_HELPER_CACHE_DIR", "XDG_RUNTIME_DIR", "LocalAppData"}
	case "darwin", "ios":
		return []string{"CA_HELPER_CACHE_DIR", "XDG_RUNTIME_DIR", "HOME"}
	}
	return []string{"CA_HELPER_CACHE_DIR", "XDG_RUNTIME_DIR", "XDG_CACHE_HOME", "HOME"}
}

// userCacheDir is os.UserCacheDir through getenv; "" when there is none.
func userCacheDir(getenv func(string) string) string {
	switch runtime.GOOS {
	case "windows":
		return getenv("LocalAppData")
	case "darwin", "ios":
		if home := getenv("HOME"); home != "" {
			return filepath.Join(home, "Library", "Caches")
		}
		return ""
	}
	if d := getenv("XDG_CACHE_HOME"); d != "" {
		if filepath.IsAbs(d) {
			return d
		}
		return "" // os.UserCacheDir refuses a relative one
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, ".cache")
	}
	return ""
}

// Open returns the store for kind: "auto", "keyring", "file" or "none".
// It does no I/O; backends are reached on first use.
func Open(kind string, o Options) (Store, error) {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	o.Report = onceEach(o.Report)
	if kind == "none" {
		return noneStore{}, nil
	}
	if kind != "auto" && kind != "keyring" && kind != "file" {
		return nil, fmt.Errorf("unknown cache backend %q: want auto, keyring, file or none", kind)
	}
	if o.Dir == "" {
		d, err := DefaultDir(os.Getenv)
		if err != nil {
			return nil, err
		}
		o.Dir = d
	}
	dir := &privateDir{path: o.Dir, report: o.Report}
	switch kind {
	case "keyring":
		return newKeyringStore(dir, o.Timeout), nil
	case "file":
		return &fileStore{dir: dir}, nil
	}
	return newAutoStore(dir, o), nil
}

// noneStore is the store used when caching is off.
type noneStore struct{}

var _ Store = noneStore{}

func (noneStore) Name() string           { return "none" }
func (noneStore) Get(Key) (Entry, error) { return Entry{}, ErrNotFound }
func (noneStore) Set(Key, Entry) error   { return nil }
func (noneStore) Delete(Key) error       { return nil }
func (noneStore) DeleteAll() error       { return nil }
func (noneStore) List() ([]Item, error)  { return nil, nil }
