// Package tokens serves CodeArtifact tokens: the cache lookup, the lock that
// lets one process fetch while others wait, the fetch through ca-helper-aws,
// freshness rules, the cache key and the JSON token document.
package tokens

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ca-helper/ca-helper/helper/awsproc"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/interrupt"
	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/helper/tokenchar"
	"github.com/ca-helper/ca-helper/keyring"
)

// Fetcher gets a new token from CodeArtifact; AWSFetcher is the real one,
// tests use fakes.
type Fetcher interface {
	Fetch(ctx context.Context, t target.Target, duration time.Duration) (keyring.Entry, error)
}

// Service serves a token: cache, then a per-key lock, then the cache again,
// then one fetch whose result is stored for every other process.
type Service struct {
	Store   keyring.Store
	Dir     string // the cache dir; "" with cache none, which has no directory
	LockDir string // "" = no cross-process lock (cache none)
	Fetcher Fetcher
	Now     func() time.Time
	Getenv  func(string) string
	Warn    func(string)
	Debugf  func(string, ...any)
}

// Get returns a token valid for at least the effective min-ttl. refresh skips the
// cache read; a failed refresh of a still valid cached token serves that token.
func (s *Service) Get(ctx context.Context, t target.Target, o target.Options, refresh bool) (keyring.Entry, error) {
	key := CacheKey(t, s.Getenv)
	var cached *keyring.Entry
	if !refresh {
		e, ok, err := s.lookup(key, o)
		if ok || err != nil {
			return e, err
		} else if e.Valid(s.Now()) {
			cached = &e
		}
		interrupt.Catch(ctx) // from here on a run waits, and holds a lock
		unlock := s.lock(ctx, key, o.Timeout)
		defer unlock()
		if e, ok, err = s.lookup(key, o); err != nil {
			return e, err
		} else if ok {
			s.Debugf("cache hit after waiting for the lock")
			return e, nil
		} else if e.Valid(s.Now()) {
			cached = &e
		}
	}
	interrupt.Catch(ctx)
	e, err := s.fetch(ctx, t, o)
	if err != nil {
		// An interrupted run serves nothing; the caller reports the signal.
		if cached != nil && cached.Valid(s.Now()) && ctx.Err() == nil { // it may have expired while the fetch failed
			left := cached.Expiration.Sub(s.Now()).Round(time.Minute)
			s.Warn(fmt.Sprintf("refresh failed (%v); using the cached token, which expires in %s", err, left))
			return *cached, nil
		}
		return keyring.Entry{}, err
	}
	if err := s.Store.Set(key, e); err != nil {
		if err := requiredStorage(o, err); err != nil {
			return keyring.Entry{}, err
		}
		s.Warn(fmt.Sprintf("could not cache the token (%v); it will be fetched again next time", err))
	}
	return e, nil
}

// requiredStorage turns a storage error into the command's error when the
// user chose the keyring explicitly (--cache keyring) and it does not answer:
// quietly calling AWS on every run instead would hide a locked or hung
// keyring until the account is throttled. auto falls back to files; file
// and none never fail a get. It returns nil when err is only a warning.
func requiredStorage(o target.Options, err error) error {
	if o.Cache != "keyring" || !errors.Is(err, keyring.ErrUnavailable) {
		return nil
	}
	return failure.Wrap(failure.Runtime, "unlock the keyring (or start one), or use --cache auto to fall back to a file",
		fmt.Errorf("--cache keyring: %w", err))
}

// lookup reads the cache. ok means fresh enough to serve; otherwise e may still
// hold a valid (not expired) entry usable as a fallback. err is set only when
// the storage the user required is unavailable.
func (s *Service) lookup(key keyring.Key, o target.Options) (e keyring.Entry, ok bool, err error) {
	e, err = s.Store.Get(key)
	if err != nil {
		if err := requiredStorage(o, err); err != nil {
			return keyring.Entry{}, false, err
		}
		if !errors.Is(err, keyring.ErrNotFound) {
			s.Warn(fmt.Sprintf("cache read failed: %v", err))
		}
		s.Debugf("cache miss in %s: %v", s.Store.Name(), err)
		return keyring.Entry{}, false, nil
	}
	minTTL := effectiveMinTTL(o, e)
	if e.Fresh(s.Now(), minTTL) {
		s.Debugf("cache hit in %s, expires %s", s.Store.Name(), e.Expiration.Format(time.RFC3339))
		return e, true, nil
	}
	s.Debugf("cached token expires %s, less than min-ttl %s away", e.Expiration.Format(time.RFC3339), minTTL)
	return e, false, nil
}

// effectiveMinTTL caps min-ttl at half the token life, so short tokens are still
// reused; with duration 0 the life is what the service granted.
func effectiveMinTTL(o target.Options, e keyring.Entry) time.Duration {
	life := o.Duration
	if life == 0 {
		life = e.Expiration.Sub(e.Fetched)
	}
	return min(o.MinTTL, life/2)
}

// lock takes the per-key lock, waiting at most wait; after that, or if the
// lock cannot be taken at all, it goes ahead alone (without a warning when
// the cache dir was refused, which the store warns about). It stops waiting when ctx
// ends (Ctrl-C), and then the fetch that follows fails at once.
func (s *Service) lock(ctx context.Context, key keyring.Key, wait time.Duration) func() {
	if s.LockDir == "" {
		return func() {}
	}
	unlock, err := keyring.Lock(ctx, s.LockDir, key, wait)
	if errors.Is(err, keyring.ErrUnavailable) {
		// A refused cache dir: the store has said so already.
		s.Debugf("no refresh lock: %v", err)
		return func() {}
	}
	if err != nil {
		if ctx.Err() == nil {
			s.Warn(fmt.Sprintf("going ahead without the refresh lock: %v", err))
		}
		return func() {}
	}
	return unlock
}

func (s *Service) fetch(ctx context.Context, t target.Target, o target.Options) (keyring.Entry, error) {
	// The fetch enforces o.Timeout itself (in ca-helper-aws) and reports it;
	// this deadline only catches a helper process that does not.
	ctx, cancel := context.WithTimeout(ctx, o.Timeout+2*time.Second)
	defer cancel()
	start := s.Now()
	e, err := s.Fetcher.Fetch(ctx, t, o.Duration)
	if err != nil {
		return keyring.Entry{}, err
	}
	s.Debugf("fetched a token in %s", s.Now().Sub(start).Round(time.Millisecond))
	e.Fetched = s.Now()
	return e, checkFetched(e, o.Duration, e.Fetched)
}

// checkFetched refuses answers that would break clients or cannot be true.
func checkFetched(e keyring.Entry, duration time.Duration, now time.Time) error {
	hint := awsproc.UnexpectedHint
	tok := e.Token.Reveal()
	switch {
	case tok == "":
		return failure.Wrap(failure.Runtime, hint, errors.New("the service returned no authorization token"))
	case len(tok) > awsproc.MaxTokenLen:
		return failure.Wrap(failure.Runtime, hint, awsproc.CheckTokenLen(tok))
	case !tokenchar.Valid(tok):
		return failure.Wrap(failure.Runtime, hint, errors.New("the service returned a token with characters a token cannot have"))
	case !e.Expiration.After(now):
		return failure.Wrap(failure.Runtime, hint, fmt.Errorf("the service returned a token that expired at %s", e.Expiration.UTC().Format(time.RFC3339)))
	}
	limit := duration
	if limit == 0 {
		limit = 36 * time.Hour // the longest an AWS session can last
	}
	if e.Expiration.After(now.Add(limit + time.Hour)) {
		return failure.Wrap(failure.Runtime, hint, fmt.Errorf("the service returned a token expiring at %s, later than requested", e.Expiration.UTC().Format(time.RFC3339)))
	}
	return nil
}

// cacheKey names the token by who asks for what. Only non-secret inputs go in;
// anything else that changes the identity (env access key id, endpoint
// overrides, web identity role) is folded into a short hash.
func CacheKey(t target.Target, getenv func(string) string) keyring.Key {
	h := sha256.New()
	for _, v := range []string{t.Domain, t.Owner, t.Region, t.Profile,
		getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_ROLE_ARN"), getenv("AWS_ENDPOINT_URL"),
		getenv("AWS_ENDPOINT_URL_CODEARTIFACT"), getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI"),
		getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"), getenv("AWS_WEB_IDENTITY_TOKEN_FILE"),
		getenv("AWS_CONFIG_FILE"), getenv("AWS_SHARED_CREDENTIALS_FILE")} {
		h.Write([]byte(v))
		h.Write([]byte{0})
	}
	id := strings.Join([]string{t.Domain, orWord(t.Owner, "self"), orWord(t.Region, "profile-region"),
		safeName(orWord(t.Profile, "default")), hex.EncodeToString(h.Sum(nil))[:12]}, "_")
	id = strings.ToLower(id)
	if len(id) > 120 { // keyring.Key limit; the hash at the end keeps long names apart
		id = id[:107] + id[len(id)-13:]
	}
	label := "CodeArtifact token " + t.String()
	return keyring.Key{ID: id, Label: label}
}

func orWord(s, w string) string {
	if s == "" {
		return w
	}
	return s
}

// safeName keeps a profile name readable inside a file name.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' {
			return r
		}
		return '_'
	}, s)
}
