package tokens

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/keyring"
)

// Env is what the token service takes from its caller: where tokens come
// from, the environment, the clock, and where warnings and debug lines go.
type Env struct {
	AWS    AWS
	Getenv func(string) string
	Now    func() time.Time
	Warn   func(string)
	Debugf func(string, ...any)
}

// Open wires the store for o.Cache with the real fetcher. Nothing here loads
// AWS config: the fetcher does that only when it is called. Caching off
// ("none") needs no directory at all, no entry, lock or index, so it works
// where there is no home (a systemd unit, a bare cron job); every other mode
// fails at once when it has no directory, naming what to set.
func Open(env Env, o target.Options) (*Service, error) {
	var dir string
	if o.Cache != "none" {
		d, err := keyring.DefaultDir(env.Getenv)
		if err != nil {
			return nil, failure.Wrap(failure.Usage, noDirHint(), fmt.Errorf("--cache %s: %w", o.Cache, err))
		}
		dir = d
	}
	store, err := keyring.Open(o.Cache, keyring.Options{Dir: dir, Report: keyring.OncePerDay(dir, env.Now, env.report)})
	if err != nil {
		return nil, failure.Wrap(failure.Runtime, "use --cache file or --cache none", fmt.Errorf("open %s cache: %w", o.Cache, err))
	}
	return &Service{
		Store: store, Dir: dir, LockDir: dir, Fetcher: AWSFetcher{AWS: env.AWS, Timeout: o.Timeout},
		Now: env.Now, Getenv: env.Getenv, Warn: env.Warn, Debugf: env.Debugf,
	}, nil
}

// report tells the user what the store reported. The keyring fallback is
// told once a day per class of cause (get runs on every build); a repeat,
// and the whole cause, show with --debug only. doctor opens its own store
// and reports the fallback every time.
func (env Env) report(ev keyring.Event, toldToday bool) {
	if ev.Kind == keyring.KeyringUnavailable {
		env.Debugf("keyring not used: %v", ev.Err)
	}
	if toldToday {
		env.Debugf("warned within the last day, not repeated: %s", ev)
		return
	}
	env.Warn(ev.String())
}

// noDirHint names the variables that give the cache a directory here.
func noDirHint() string {
	vars := keyring.DirVars()
	last := len(vars) - 1
	return fmt.Sprintf("set one of %s or %s, or use --cache none, which needs no directory",
		strings.Join(vars[:last], ", "), vars[last])
}

// Get is the token for t: from CA_HELPER_TOKEN_FILE when it is set, else
// from the token service.
func Get(ctx context.Context, env Env, t target.Target, o target.Options, refresh bool) (keyring.Entry, error) {
	if path := env.Getenv("CA_HELPER_TOKEN_FILE"); path != "" {
		env.Debugf("token from CA_HELPER_TOKEN_FILE %s", path)
		return ReadFile(path, t, o.MinTTL, env.Now(), env.Warn)
	}
	svc, err := Open(env, o)
	if err != nil {
		return keyring.Entry{}, err
	}
	return svc.Get(ctx, t, o, refresh)
}
