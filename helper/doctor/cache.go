package doctor

import (
	"context"
	"fmt"
	"io/fs"
	"time"

	"github.com/ca-helper/ca-helper/helper/failure"
)

// Cache probes token storage the way `get` would use it.
type Cache interface {
	Probe(ctx context.Context, kind string) CacheState
}

// CacheState is what a probe of the cache backend found.
type CacheState struct {
	Backend    string        // what `get` would use: keyring, file or none
	NoBus      bool          // auto chose file because there is no D-Bus session bus
	KeyringErr string        // the keyring failed or did not answer in time
	Took       time.Duration // how long the keyring took to answer
	Dir        string        // the cache dir: file entries, index and locks
	DirExists  bool
	DirMode    fs.FileMode
	DirProblem string    // what the store itself refused about the dir
	Cached     time.Time // expiry of this target's cached token; zero when none
	Err        string    // the store could not be opened at all
}

func checkCache(ctx context.Context, s *state) Result {
	kind := s.setup.Cache
	if kind == "" {
		kind = "auto"
	}
	if kind == "none" {
		return ok("none: tokens are not cached; every call fetches one")
	}
	st := s.deps.Cache.Probe(ctx, kind)
	if st.Err != "" {
		return fail(failure.Runtime, kind+": "+st.Err, "set CA_HELPER_CACHE_DIR to a private directory, or use --cache none")
	}
	if r, bad := s.dirResult(st); bad {
		return r
	}
	dir := describeDir(st)
	cached := "; no token cached for this target"
	if !st.Cached.IsZero() {
		if left := st.Cached.Sub(s.deps.Now()); left > 0 {
			cached = "; a token for this target is cached, expires in " + human(left)
		} else {
			cached = "; the cached token for this target has expired"
		}
	}
	keyringFix := s.keyringFix()
	switch {
	case kind == "keyring" && st.KeyringErr != "":
		return fail(failure.Runtime, "keyring (chosen by "+s.cacheSource()+") does not work: "+st.KeyringErr,
			keyringFix+", or set CA_HELPER_CACHE=auto (falls back to files) or file")
	case kind == "keyring":
		return ok(fmt.Sprintf("keyring answered in %s; index and locks in %s%s", millis(st.Took), dir, cached))
	case kind == "auto" && st.Backend == "keyring":
		return ok(fmt.Sprintf("auto chose keyring (answered in %s); index and locks in %s%s", millis(st.Took), dir, cached))
	case kind == "auto" && st.NoBus:
		return ok("auto chose file: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is empty), so the keyring is not tried; " + dir + cached)
	case kind == "auto" && st.KeyringErr != "":
		return warn("auto chose file: the keyring did not work: "+st.KeyringErr+"; "+dir+cached,
			keyringFix+" to keep tokens there, or set CA_HELPER_CACHE=file to skip the keyring")
	}
	return ok(st.Backend + ": " + dir + cached)
}

// dirResult fails a cache dir that the store would refuse or that others can read.
func (s *state) dirResult(st CacheState) (Result, bool) {
	switch {
	case st.DirProblem != "":
		return fail(failure.Runtime, "cache dir "+st.Dir+": "+st.DirProblem, "chmod 700 "+st.Dir+" and make sure you own it, or set CA_HELPER_CACHE_DIR elsewhere"), true
	case !st.DirExists:
		return Result{}, false
	case !st.DirMode.IsDir():
		return fail(failure.Runtime, "cache dir "+st.Dir+" is not a directory", "remove it, or set CA_HELPER_CACHE_DIR elsewhere"), true
	case s.deps.GOOS != "windows" && st.DirMode.Perm()&0o077 != 0:
		return fail(failure.Runtime, fmt.Sprintf("cache dir %s has mode %04o: others can get in, so it is not used", st.Dir, st.DirMode.Perm()),
			"chmod 700 "+st.Dir), true
	}
	return Result{}, false
}

func describeDir(st CacheState) string {
	if !st.DirExists {
		return st.Dir + " (not there yet; created 0700 on first use)"
	}
	return fmt.Sprintf("%s (%04o)", st.Dir, st.DirMode.Perm())
}

func (s *state) keyringFix() string {
	switch s.deps.GOOS {
	case "darwin":
		return "unlock the login keychain (Keychain Access)"
	case "windows":
		return "check that Windows Credential Manager is available to this user"
	}
	return "run a Secret Service (gnome-keyring-daemon, KeePassXC) in this D-Bus session and unlock it"
}

func (s *state) cacheSource() string {
	return orText(s.setup.CacheSource, "--cache")
}

// FixedCache is a Cache whose probe already ran, in ca-helper.
type FixedCache CacheState

// Probe returns the state ca-helper found.
func (c FixedCache) Probe(context.Context, string) CacheState { return CacheState(c) }
