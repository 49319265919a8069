package test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// TestServiceFaultsRecover checks that the faults the SDK retries end in a
// token: the retries happen inside one `get`, which prints only the token.
func TestServiceFaultsRecover(t *testing.T) {
	cases := []struct {
		name   string
		faults []fake.Fault
		calls  int
	}{
		{name: "throttled twice with Retry-After", faults: []fake.Fault{{Kind: fake.Throttle, Times: 2, RetryAfter: "1"}}, calls: 3},
		{name: "internal error once", faults: []fake.Fault{{Kind: fake.ServerError, Times: 1}}, calls: 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, fake.Options{})
			h.fake.SetFaults(tc.faults...)
			r := h.run("ca-helper", "get")
			t.Logf("exit %d after %s, stderr %q", r.code, r.took.Round(time.Millisecond), r.stderr)
			if r.code != 0 || !h.fake.ValidToken(strings.TrimSuffix(r.stdout, "\n")) {
				t.Fatalf("want a token after the retries: %s", r)
			}
			if r.stderr != "" {
				t.Errorf("a retried fault reached stderr: %s", r.stderr)
			}
			if n := h.fake.TokenCalls(); n != tc.calls {
				t.Errorf("%d API calls, want %d", n, tc.calls)
			}
			if cacheEntries(t, h) != 1 {
				t.Error("the token was not cached")
			}
		})
	}
}

// TestServiceFaultsFail checks every fault that must end in exit 1 with one
// error line and one hint, nothing on stdout and nothing cached, within the
// deadline the user gave.
func TestServiceFaultsFail(t *testing.T) {
	const defaultTimeout = 30 * time.Second
	cases := []struct {
		name     string
		fault    fake.Fault
		env      map[string]string
		args     []string
		errPart  string
		hintPart string
		calls    int           // -1: not checked
		within   time.Duration // the deadline the issue states
	}{
		{name: "internal error forever", fault: fake.Fault{Kind: fake.ServerError}, errPart: "service error", hintPart: "retry later",
			calls: 4, within: defaultTimeout},
		{name: "throttled forever", fault: fake.Fault{Kind: fake.Throttle, RetryAfter: "1"}, errPart: "throttled", hintPart: "throttling",
			calls: 4, within: defaultTimeout},
		{name: "hung service", fault: fake.Fault{Kind: fake.Hang}, args: []string{"--timeout", "2s"}, errPart: "timeout", hintPart: "raise --timeout",
			calls: -1, within: 3 * time.Second},
		{name: "connection refused", env: map[string]string{"AWS_ENDPOINT_URL_CODEARTIFACT": "http://127.0.0.1:1"},
			errPart: "connection refused", hintPart: "cannot reach CodeArtifact", calls: 0, within: defaultTimeout},
		{name: "bad json", fault: fake.Fault{Kind: fake.BadJSON}, errPart: "not valid JSON", hintPart: "unexpected", calls: -1, within: defaultTimeout},
		{name: "missing token", fault: fake.Fault{Kind: fake.MissingToken}, errPart: "no authorization token", hintPart: "unexpected",
			calls: 1, within: defaultTimeout},
		{name: "10 MiB body", fault: fake.Fault{Kind: fake.HugeBody}, errPart: "over the 16384 limit", hintPart: "unexpected", calls: -1, within: defaultTimeout},
		{name: "expiration in the past", fault: fake.Fault{Kind: fake.PastExpiration}, errPart: "expired at", hintPart: "unexpected",
			calls: 1, within: defaultTimeout},
		{name: "expiration 100 years ahead", fault: fake.Fault{Kind: fake.FarExpiration}, errPart: "later than requested", hintPart: "unexpected",
			calls: 1, within: defaultTimeout},
		{name: "control characters in token", fault: fake.Fault{Kind: fake.ControlCharToken}, errPart: "characters a token cannot have", hintPart: "unexpected",
			calls: 1, within: defaultTimeout},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, fake.Options{})
			h.fake.SetFault(tc.fault)
			for k, v := range tc.env {
				h.env[k] = v
			}
			r := h.run("ca-helper", append([]string{"get"}, tc.args...)...)
			t.Logf("exit %d after %s, stderr %q", r.code, r.took.Round(time.Millisecond), r.stderr)
			wantOneLineFailure(t, h, r, 1, tc.errPart)
			if !strings.Contains(r.stderr, "\nca-helper: hint: ") || !strings.Contains(r.stderr, tc.hintPart) {
				t.Errorf("hint does not mention %q:\n%s", tc.hintPart, r.stderr)
			}
			if r.took > tc.within {
				t.Errorf("took %s, want at most %s", r.took, tc.within)
			}
			if tc.calls >= 0 && h.fake.TokenCalls() != tc.calls {
				t.Errorf("%d API calls, want %d", h.fake.TokenCalls(), tc.calls)
			}
		})
	}
}

// wantOneLineFailure is wantFailure plus: exactly an error line and a hint
// line, no token the fake issued anywhere in the output, no cache entry.
func wantOneLineFailure(t *testing.T, h *harness, r result, code int, errPart string) {
	t.Helper()
	wantFailure(t, r, code, errPart)
	if lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n"); len(lines) != 2 {
		t.Errorf("want exactly an error line and a hint line, got %d lines:\n%s", len(lines), r.stderr)
	}
	for _, tok := range h.fake.IssuedTokens() {
		if strings.Contains(r.stderr, tok[:min(len(tok), 64)]) {
			t.Errorf("stderr holds a token the fake issued")
		}
	}
	if n := cacheEntries(t, h); n != 0 {
		t.Errorf("a failure left %d cache entries", n)
	}
}

// cacheEntries counts the *.json entries in the cache dir (not the index).
func cacheEntries(t *testing.T, h *harness) int {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(h.cache, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		if filepath.Base(f) != "index.json" {
			n++
		}
	}
	return n
}
