package tokens

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/failure/failuretest"
	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/keyring"
	"github.com/ca-helper/ca-helper/keyring/keyringtest"
	"github.com/ca-helper/ca-helper/keyring/lock"
)

var (
	t0         = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	testTarget = target.Target{Domain: "my-domain", Owner: "111122223333", Region: "eu-west-1", Profile: "dev"}
)

// opts are the defaults: 12h tokens, min-ttl 1h.
func opts() target.Options {
	return target.Options{Duration: 12 * time.Hour, MinTTL: time.Hour, Cache: "file", Timeout: 30 * time.Second}
}

func entry(tok string, fetched, expires time.Duration) keyring.Entry {
	return keyring.Entry{Token: keyring.Token(tok), Fetched: t0.Add(fetched), Expiration: t0.Add(expires)}
}

type serviceFixture struct {
	svc     *Service
	store   *memStore
	fetcher *fakeFetcher
	clock   *fakeClock
	rec     *recorder
}

func newFixture(t *testing.T) *serviceFixture {
	t.Helper()
	clock := &fakeClock{t: t0}
	f := &serviceFixture{store: newMemStore(), clock: clock, rec: &recorder{},
		fetcher: &fakeFetcher{clock: clock, entry: keyring.Entry{Token: "new-token", Expiration: t0.Add(12 * time.Hour)}}}
	f.svc = &Service{Store: f.store, Fetcher: f.fetcher, Now: clock.now,
		Getenv: envMap(nil), Warn: f.rec.warn, Debugf: f.rec.debugf}
	return f
}

func TestTokenServiceGet(t *testing.T) {
	tests := []struct {
		name      string
		cached    *keyring.Entry // in the store before Get
		opts      func(*target.Options)
		refresh   bool
		fetchErr  error
		fetchTook time.Duration
		getErr    error  // store Get fails
		setErr    error  // store Set fails
		wantTok   string // "" = want an error
		wantFetch int
		wantStore bool   // the fetched token ends up in the store
		wantWarn  string // a warning containing this; "" = no warning
	}{
		{name: "miss fetches and stores", wantTok: "new-token", wantFetch: 1, wantStore: true},
		{name: "fresh hit does not fetch", cached: ptr(entry("old-token", -time.Hour, 5*time.Hour)), wantTok: "old-token"},
		{name: "exactly min-ttl left is fresh", cached: ptr(entry("old-token", -11*time.Hour, time.Hour)), wantTok: "old-token"},
		{name: "less than min-ttl left fetches", cached: ptr(entry("old-token", -11*time.Hour, time.Hour-time.Second)),
			wantTok: "new-token", wantFetch: 1, wantStore: true},
		{name: "refresh skips a fresh cache", cached: ptr(entry("old-token", -time.Hour, 11*time.Hour)), refresh: true,
			wantTok: "new-token", wantFetch: 1, wantStore: true},
		{name: "failed refresh serves the valid cached token", cached: ptr(entry("old-token", -11*time.Hour, 30*time.Minute)),
			fetchErr: errFake, wantTok: "old-token", wantFetch: 1, wantWarn: "refresh failed"},
		{name: "failed refresh never serves an expired token", cached: ptr(entry("old-token", -12*time.Hour, -time.Second)),
			fetchErr: errFake, wantFetch: 1},
		{name: "token that expires during a failed refresh is not served", cached: ptr(entry("old-token", -12*time.Hour, 10*time.Second)),
			fetchErr: errFake, fetchTook: 30 * time.Second, wantFetch: 1},
		{name: "failed fetch without cache", fetchErr: errFake, wantFetch: 1},
		{name: "expired token is not served with min-ttl 0", cached: ptr(entry("old-token", -12*time.Hour, 0)),
			opts: func(o *target.Options) { o.MinTTL = 0 }, wantTok: "new-token", wantFetch: 1, wantStore: true},
		{name: "min-ttl capped at half the duration: hit", cached: ptr(entry("old-token", -20*time.Minute, 40*time.Minute)),
			opts: func(o *target.Options) { o.Duration = time.Hour }, wantTok: "old-token"},
		{name: "min-ttl capped at half the duration: miss", cached: ptr(entry("old-token", -40*time.Minute, 29*time.Minute)),
			opts: func(o *target.Options) { o.Duration = time.Hour }, wantTok: "new-token", wantFetch: 1, wantStore: true},
		{name: "duration 0 uses half the token's life: hit", cached: ptr(entry("old-token", -20*time.Minute, 40*time.Minute)),
			opts: func(o *target.Options) { o.Duration = 0 }, wantTok: "old-token"},
		{name: "duration 0 uses half the token's life: miss", cached: ptr(entry("old-token", -50*time.Minute, 10*time.Minute)),
			opts: func(o *target.Options) { o.Duration = 0 }, wantTok: "new-token", wantFetch: 1, wantStore: true},
		{name: "store set failure still returns the token", setErr: errors.New("disk full"),
			wantTok: "new-token", wantFetch: 1, wantWarn: "could not cache the token"},
		{name: "store read failure warns and fetches", getErr: errors.New("keyring locked"),
			wantTok: "new-token", wantFetch: 1, wantStore: true, wantWarn: "cache read failed"},
		{name: "corrupt entry is a quiet miss", getErr: keyring.ErrNotFound,
			wantTok: "new-token", wantFetch: 1, wantStore: true},
		{name: "unavailable file dir only warns", setErr: errUnavailable,
			wantTok: "new-token", wantFetch: 1, wantWarn: "could not cache the token"},
		{name: "required keyring unavailable fails before fetching", getErr: errUnavailable,
			opts: func(o *target.Options) { o.Cache = "keyring" }},
		{name: "required keyring unavailable for the store fails", setErr: errUnavailable,
			opts: func(o *target.Options) { o.Cache = "keyring" }, wantFetch: 1},
		{name: "required keyring too small only warns", setErr: keyring.ErrTooBig, opts: func(o *target.Options) { o.Cache = "keyring" },
			wantTok: "new-token", wantFetch: 1, wantWarn: "could not cache the token"},
		{name: "required keyring that stops answering at the store fails", cached: ptr(entry("old-token", -11*time.Hour, 30*time.Minute)),
			setErr: errUnavailable, opts: func(o *target.Options) { o.Cache = "keyring"; o.MinTTL = 2 * time.Hour }, wantFetch: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			o := opts()
			if tt.opts != nil {
				tt.opts(&o)
			}
			if tt.cached != nil {
				f.store.put(testTarget, f.svc.Getenv, *tt.cached)
			}
			f.store.getErr, f.store.setErr = tt.getErr, tt.setErr
			f.fetcher.err, f.fetcher.took = tt.fetchErr, tt.fetchTook
			if o.Duration != 0 {
				f.fetcher.entry.Expiration = t0.Add(o.Duration)
			}

			got, err := f.svc.Get(context.Background(), testTarget, o, tt.refresh)

			if tt.wantTok == "" {
				if err == nil {
					t.Fatalf("Get returned token %q (expires %v, now %v), want an error", got.Token.Reveal(), got.Expiration, f.clock.now())
				}
				if got != (keyring.Entry{}) {
					t.Errorf("Get returned an entry with the error: %+v", got)
				}
				if tt.fetchErr != nil && !errors.Is(err, tt.fetchErr) {
					t.Errorf("error %v does not wrap the fetch error", err)
				}
			} else {
				if err != nil {
					t.Fatalf("Get: %v", err)
				}
				if got.Token.Reveal() != tt.wantTok {
					t.Errorf("Get token = %q, want %q", got.Token.Reveal(), tt.wantTok)
				}
				if !got.Valid(f.clock.now()) {
					t.Errorf("Get returned a token that expired at %v (now %v)", got.Expiration, f.clock.now())
				}
			}
			if f.fetcher.calls != tt.wantFetch {
				t.Errorf("fetches = %d, want %d", f.fetcher.calls, tt.wantFetch)
			}
			stored := len(f.store.sets) == 1 && f.store.sets[0].Token.Reveal() == "new-token"
			if stored != tt.wantStore {
				t.Errorf("stored the new token = %v, want %v (sets: %d)", stored, tt.wantStore, len(f.store.sets))
			}
			if stored && !f.store.sets[0].Fetched.Equal(f.clock.now()) {
				t.Errorf("stored Fetched = %v, want the clock's %v", f.store.sets[0].Fetched, f.clock.now())
			}
			warns := strings.Join(f.rec.warns, "\n")
			if (tt.wantWarn == "") != (warns == "") || !strings.Contains(warns, tt.wantWarn) {
				t.Errorf("warnings = %q, want one containing %q", warns, tt.wantWarn)
			}
			if strings.Contains(f.rec.all(), "new-token") || strings.Contains(f.rec.all(), "old-token") {
				t.Errorf("a token reached a warning or debug line: %q", f.rec.all())
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

var errUnavailable = fmt.Errorf("%w: the keyring did not answer", keyring.ErrUnavailable)

func TestTokenServicePassesTargetAndDuration(t *testing.T) {
	f := newFixture(t)
	o := opts()
	o.Duration = 2 * time.Hour
	f.fetcher.entry.Expiration = t0.Add(2 * time.Hour)
	if _, err := f.svc.Get(context.Background(), testTarget, o, false); err != nil {
		t.Fatal(err)
	}
	if len(f.fetcher.durations) != 1 || f.fetcher.durations[0] != 2*time.Hour {
		t.Errorf("fetch durations = %v, want [2h]", f.fetcher.durations)
	}
	if f.fetcher.targets[0].Domain != testTarget.Domain || f.fetcher.targets[0].Profile != testTarget.Profile {
		t.Errorf("fetched for %+v, want %+v", f.fetcher.targets[0], testTarget)
	}
	if !f.fetcher.deadline {
		t.Error("the fetch context has no deadline")
	}
}

func TestTokenServiceRejectsBadFetch(t *testing.T) {
	f := newFixture(t)
	f.fetcher.entry = keyring.Entry{Token: "bad token\n", Expiration: t0.Add(time.Hour)}
	_, err := f.svc.Get(context.Background(), testTarget, opts(), false)
	failuretest.WantCode(t, err, failure.Runtime, "characters")
	if len(f.store.sets) != 0 {
		t.Errorf("a rejected token was stored")
	}
}

// Another process fills the cache while this one waits for the lock: the
// re-check after the lock serves that token without a second fetch.
func TestTokenServiceRechecksCacheAfterLock(t *testing.T) {
	f := newFixture(t)
	f.svc.LockDir = keyringtest.CacheDir(t)
	f.store.onGet = func(call int) {
		if call == 2 {
			f.store.put(testTarget, f.svc.Getenv, entry("from-other-process", 0, 12*time.Hour))
		}
	}
	got, err := f.svc.Get(context.Background(), testTarget, opts(), false)
	if err != nil {
		t.Fatal(err)
	}
	if got.Token.Reveal() != "from-other-process" || f.fetcher.calls != 0 {
		t.Errorf("got %q after %d fetches, want the other process's token and no fetch", got.Token.Reveal(), f.fetcher.calls)
	}
}

func TestTokenServiceLockTimeoutProceedsAlone(t *testing.T) {
	f := newFixture(t)
	f.svc.LockDir = keyringtest.CacheDir(t)
	unlock, err := keyring.Lock(context.Background(), f.svc.LockDir, CacheKey(testTarget, f.svc.Getenv), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	o := opts()
	o.Timeout = 50 * time.Millisecond
	got, err := f.svc.Get(context.Background(), testTarget, o, false)
	if err != nil {
		t.Fatal(err)
	}
	if got.Token.Reveal() != "new-token" || f.fetcher.calls != 1 {
		t.Errorf("got %q after %d fetches, want new-token after 1", got.Token.Reveal(), f.fetcher.calls)
	}
	if w := strings.Join(f.rec.warns, "\n"); !strings.Contains(w, "without the refresh lock") {
		t.Errorf("warnings = %q, want one about the lock", w)
	}
}

// TestTokenServiceNoLockInRefusedDir: in a cache dir open to others, whoever
// holds the lock file must not make a get wait; the get takes no lock there
// and does not warn about one (the store warns about the dir).
func TestTokenServiceNoLockInRefusedDir(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no mode bits to refuse")
	}
	f := newFixture(t)
	f.svc.LockDir = keyringtest.CacheDir(t)
	if err := os.Chmod(f.svc.LockDir, 0o777); err != nil {
		t.Fatal(err)
	}
	name := CacheKey(testTarget, f.svc.Getenv).ID + ".lock"
	unlock, err := lock.Acquire(context.Background(), f.svc.LockDir, name, 0) // another user's hold
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	o := opts()
	o.Timeout = 20 * time.Second // what the get would wait, were it to wait
	start := time.Now()
	got, err := f.svc.Get(context.Background(), testTarget, o, false)
	if err != nil || got.Token.Reveal() != "new-token" {
		t.Fatalf("Get = %q, %v", got.Token.Reveal(), err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("Get waited %v for a lock in a refused dir", took)
	}
	if len(f.rec.warns) != 0 || !strings.Contains(strings.Join(f.rec.debug, "\n"), "no refresh lock") {
		t.Errorf("warnings %q, debug %q: want no warning and a debug line", f.rec.warns, f.rec.debug)
	}
}

func TestEffectiveMinTTL(t *testing.T) {
	tests := []struct {
		duration, minTTL time.Duration
		life             time.Duration // of the cached entry
		want             time.Duration
	}{
		{12 * time.Hour, time.Hour, 12 * time.Hour, time.Hour},
		{time.Hour, time.Hour, time.Hour, 30 * time.Minute},
		{15 * time.Minute, time.Hour, 15 * time.Minute, 450 * time.Second},
		{0, time.Hour, time.Hour, 30 * time.Minute},
		{0, time.Hour, 6 * time.Hour, time.Hour},
		{12 * time.Hour, 0, 12 * time.Hour, 0},
	}
	for _, tt := range tests {
		e := keyring.Entry{Fetched: t0, Expiration: t0.Add(tt.life)}
		got := effectiveMinTTL(target.Options{Duration: tt.duration, MinTTL: tt.minTTL}, e)
		if got != tt.want {
			t.Errorf("effectiveMinTTL(duration %v, min-ttl %v, life %v) = %v, want %v", tt.duration, tt.minTTL, tt.life, got, tt.want)
		}
	}
}
