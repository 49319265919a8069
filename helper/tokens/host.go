package tokens

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/keyring"
)

// Hosts serves the credential helpers (git, Cargo, Bazel): it maps the host
// of a request to a target (target.ResolveHost) and hands out that target's
// token. Its methods are credproto's Lookup and Erase.
type Hosts struct {
	Env Env
	In  *target.Inputs
}

// resolve is the target and options of a request for host; ok=false means
// the host is not ours, or is of a domain owner that is not allowed.
func (h Hosts) resolve(ctx context.Context, host string) (target.Target, target.Options, bool, error) {
	t, name, ok, err := target.ResolveHost(h.In, host)
	if err != nil || !ok {
		if err == nil {
			h.Env.Debugf("host %s is not a CodeArtifact host nor pinned in the config: not ours", failure.Printable(host))
		}
		return t, target.Options{}, false, err
	}
	o, err := target.ResolveOptions(h.In, t)
	if err != nil {
		return t, o, false, err
	}
	if ok, err := h.allowed(ctx, host, t, o); err != nil || !ok {
		return t, o, false, err
	}
	h.Env.Debugf("host %s is target %s (config target %q)", host, t, name)
	return t, o, true, nil
}

// Lookup is the token for host, or ok=false when the host is not ours.
func (h Hosts) Lookup(ctx context.Context, host string) (string, time.Time, bool, error) {
	t, o, ok, err := h.resolve(ctx, host)
	if err != nil || !ok {
		return "", time.Time{}, false, err
	}
	entry, err := Get(ctx, h.Env, t, o, false)
	if err != nil {
		return "", time.Time{}, false, err
	}
	return entry.Token.Reveal(), entry.Expiration, true, nil
}

// Erase drops the cached token for host (a client said it was refused).
func (h Hosts) Erase(ctx context.Context, host string) (bool, error) {
	t, o, ok, err := h.resolve(ctx, host)
	if err != nil || !ok {
		return false, err
	}
	svc, err := Open(h.Env, o)
	if err != nil {
		return true, err
	}
	key := CacheKey(t, h.Env.Getenv)
	if err := svc.Store.Delete(key); err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return true, failure.Wrap(failure.Runtime, "check the cache backend with `ca-helper status`", fmt.Errorf("erase %s: %w", key.Label, err))
	}
	h.Env.Debugf("erased %s from %s", key.Label, svc.Store.Name())
	return true, nil
}
