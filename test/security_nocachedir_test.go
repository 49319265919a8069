package test

import (
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// homeless is the harness with no home and no cache dir at all, like a
// systemd unit or a minimal cron environment.
func homeless(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t, fake.Options{})
	for _, k := range []string{"HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME",
		"CA_HELPER_CACHE_DIR", "CA_HELPER_CACHE", "MAVEN_OPTS"} {
		h.env[k] = "" // dropped from the environment
	}
	return h
}

// TestCacheNoneNeedsNoDirectory: caching off touches no directory, so it
// works where there is none; every other cache mode says which variable
// would give it one.
func TestCacheNoneNeedsNoDirectory(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  string // CA_HELPER_CACHE
		args []string
	}{
		{"--cache none", "", []string{"--cache", "none"}},
		{"--no-cache", "", []string{"--no-cache"}},
		{"CA_HELPER_CACHE=none", "none", nil},
		{"--refresh --cache none", "", []string{"--refresh", "--cache", "none"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := homeless(t)
			h.env["CA_HELPER_CACHE"] = tt.env
			h.mustGet(tt.args...)
		})
	}
	t.Run("exec --cache none", func(t *testing.T) {
		h := homeless(t)
		r := h.run("ca-helper", "exec", "--cache", "none", "--", "sh", "-c", `test -n "$CODEARTIFACT_AUTH_TOKEN"`)
		if r.code != 0 {
			t.Fatalf("exec: %s", r)
		}
	})
	for _, mode := range []string{"file", "auto", "keyring"} {
		t.Run("--cache "+mode, func(t *testing.T) {
			h := homeless(t)
			r := h.run("ca-helper", "get", "--cache", mode)
			wantFailure(t, r, 2, "")
			if strings.Count(r.stderr, "\n") != 2 {
				t.Errorf("want one error line and one hint line:\n%s", r.stderr)
			}
			for _, v := range []string{"CA_HELPER_CACHE_DIR", "XDG_CACHE_HOME", "HOME", "--cache none"} {
				if !strings.Contains(r.stderr, v) {
					t.Errorf("stderr does not name %s:\n%s", v, r.stderr)
				}
			}
			if n := h.fake.TokenCalls(); n != 0 {
				t.Errorf("%d token calls for a get that cannot cache", n)
			}
		})
	}
}
