package tokens

import (
	"context"
	"fmt"
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
// AWS config: the fetcher does that only when it is called.
func Open(env Env, o target.Options) (*Service, error) {
	dir, err := keyring.DefaultDir(env.Getenv)
	if err != nil {
		return nil, failure.Wrap(failure.Runtime, "set CA_HELPER_CACHE_DIR or XDG_RUNTIME_DIR", fmt.Errorf("find cache dir: %w", err))
	}
	store, err := keyring.Open(o.Cache, keyring.Options{Dir: dir, Report: func(ev keyring.Event) { env.Warn(ev.String()) }})
	if err != nil {
		return nil, failure.Wrap(failure.Runtime, "use --cache file or --cache none", fmt.Errorf("open %s cache: %w", o.Cache, err))
	}
	lockDir := dir
	if o.Cache == "none" {
		lockDir = ""
	}
	return &Service{
		Store: store, Dir: dir, LockDir: lockDir, Fetcher: AWSFetcher{AWS: env.AWS, Timeout: o.Timeout},
		Now: env.Now, Getenv: env.Getenv, Warn: env.Warn, Debugf: env.Debugf,
	}, nil
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
