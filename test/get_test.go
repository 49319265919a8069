package test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

func TestGetCachesRefreshesAndErases(t *testing.T) {
	h := newHarness(t, fake.Options{})
	first := h.mustGet()
	if n := h.fake.TokenCalls(); n != 1 {
		t.Fatalf("first get made %d API calls, want 1", n)
	}
	if again := h.mustGet(); again != first || h.fake.TokenCalls() != 1 {
		t.Fatalf("second get: same token %v, API calls %d; want the cached token and no call", again == first, h.fake.TokenCalls())
	}
	refreshed := h.mustGet("--refresh")
	if refreshed == first || h.fake.TokenCalls() != 2 {
		t.Fatalf("--refresh: new token %v, API calls %d; want a new token from a second call", refreshed != first, h.fake.TokenCalls())
	}
	if cached := h.mustGet(); cached != refreshed {
		t.Fatal("get after --refresh did not serve the refreshed token")
	}
	if r := h.run("ca-helper", "erase"); r.code != 0 || r.stdout != "" {
		t.Fatalf("erase: %s", r)
	}
	if h.mustGet(); h.fake.TokenCalls() != 3 {
		t.Fatalf("get after erase made %d calls in all, want 3", h.fake.TokenCalls())
	}
	if h.mustGet("--no-cache"); h.fake.TokenCalls() != 4 {
		t.Fatalf("--no-cache did not fetch")
	}
}

func TestGetCacheHitNeedsNoNetworkOrAWSConfig(t *testing.T) {
	h := newHarness(t, fake.Options{})
	tok := h.mustGet()
	// AWS config files that would break the SDK (same paths, so the same cache
	// key), no credentials and no service at all: a hit must notice none of it.
	for _, name := range []string{"AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"} {
		if err := os.WriteFile(h.env[name], []byte("[profile x\nthis is not ini"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	h.env["AWS_SECRET_ACCESS_KEY"] = ""
	h.fake.Close()
	r := h.run("ca-helper", "get")
	if r.code != 0 || strings.TrimSpace(r.stdout) != tok {
		t.Fatalf("cached get with no service and a broken AWS config: %s", r)
	}
	if r.stderr != "" {
		t.Errorf("cache hit wrote to stderr: %s", r.stderr)
	}
}

func TestGetShortLivedTokenVersusMinTTL(t *testing.T) {
	h := newHarness(t, fake.Options{})
	h.fake.SetFault(fake.Fault{Kind: fake.ShortLived, Delay: 10 * time.Minute})
	h.mustGet()
	h.mustGet()
	if n := h.fake.TokenCalls(); n != 2 {
		t.Fatalf("a 10-minute token with min-ttl 1h was reused: %d calls, want 2", n)
	}
	a := h.mustGet("--min-ttl", "5m")
	b := h.mustGet("--min-ttl", "5m")
	if a != b || h.fake.TokenCalls() != 2 {
		t.Fatalf("with --min-ttl 5m a fresh 10-minute token must be reused: calls %d", h.fake.TokenCalls())
	}
}

func TestGetServesValidCachedTokenWhenRefreshFails(t *testing.T) {
	h := newHarness(t, fake.Options{})
	h.fake.SetFault(fake.Fault{Kind: fake.ShortLived, Delay: 20 * time.Minute, Times: 1})
	tok := h.mustGet()
	h.fake.SetFault(fake.Fault{Kind: fake.AccessDenied})
	r := h.run("ca-helper", "get")
	if r.code != 0 || strings.TrimSpace(r.stdout) != tok {
		t.Fatalf("want the still valid cached token: %s", r)
	}
	if !strings.Contains(r.stderr, "ca-helper: warning: refresh failed") {
		t.Errorf("no warning about the failed refresh: %s", r.stderr)
	}
	if strings.Contains(r.stderr, tok) {
		t.Error("the token reached stderr")
	}
}

func TestGetFormats(t *testing.T) {
	h := newHarness(t, fake.Options{})
	tok := h.mustGet()
	r := h.run("ca-helper", "get", "--format", "json")
	var doc struct {
		Token      string `json:"token"`
		Expiration string `json:"expiration"`
		Target     struct {
			Domain string `json:"domain"`
			Owner  string `json:"domain_owner"`
		} `json:"target"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || r.code != 0 {
		t.Fatalf("json: %v %s", err, r)
	}
	exp, err := time.Parse(time.RFC3339, doc.Expiration)
	if doc.Token != tok || err != nil || time.Until(exp) < 11*time.Hour || doc.Target.Domain != "demo" || doc.Target.Owner != testOwner {
		t.Errorf("json document wrong: %+v (%v)", doc.Target, err)
	}
	r = h.run("ca-helper", "get", "--format", "env")
	if want := "export CODEARTIFACT_AUTH_TOKEN='" + tok + "'\n"; r.stdout != want {
		t.Errorf("env format: %q", r.stdout)
	}
	r = h.run("sh", "-c", `eval "$(ca-helper get --format env)" && printf %s "$CODEARTIFACT_AUTH_TOKEN"`)
	if r.stdout != tok {
		t.Errorf("eval of --format env did not set the variable: %s", r)
	}
}

func TestConcurrentColdGetsMakeOneCall(t *testing.T) {
	h := newHarness(t, fake.Options{})
	h.fake.SetFault(fake.Fault{Kind: fake.Slow, Delay: 300 * time.Millisecond, Times: 1})
	const n = 64
	outs := make([]result, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i] = h.run("ca-helper", "get")
		}()
	}
	wg.Wait()
	for i, r := range outs {
		if r.code != 0 || r.stdout != outs[0].stdout || r.stdout == "" {
			t.Fatalf("process %d: %s (first printed %q)", i, r, outs[0].stdout)
		}
	}
	if c := h.fake.TokenCalls(); c != 1 {
		t.Fatalf("%d concurrent cold gets made %d API calls, want 1", n, c)
	}
}

func TestStatusNeverShowsToken(t *testing.T) {
	h := newHarness(t, fake.Options{})
	tok := h.mustGet()
	r := h.run("ca-helper", "status", "--debug")
	if r.code != 0 {
		t.Fatalf("status: %s", r)
	}
	if !strings.Contains(r.stdout, "CodeArtifact token demo-"+testOwner+" (us-east-1)") || !strings.Contains(r.stdout, "expires in 1") {
		t.Errorf("status does not list the token's target and time left:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout+r.stderr, tok) || strings.Contains(r.stdout+r.stderr, tok[:40]) {
		t.Fatal("status printed the token")
	}
	if r := h.run("ca-helper", "erase", "--all"); r.code != 0 {
		t.Fatalf("erase --all: %s", r)
	}
	if r := h.run("ca-helper", "status"); r.stdout != "" || !strings.Contains(r.stderr, "no cached tokens") {
		t.Errorf("status after erase --all: %s", r)
	}
}

func TestCacheFileIsPrivate(t *testing.T) {
	h := newHarness(t, fake.Options{})
	h.mustGet()
	st, err := os.Stat(h.cache)
	if err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("cache dir mode %v (%v), want 0700", st.Mode().Perm(), err)
	}
	files, _ := filepath.Glob(filepath.Join(h.cache, "*.json"))
	if len(files) == 0 {
		t.Fatal("no cache file written")
	}
	for _, f := range files {
		if st, _ := os.Stat(f); st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", f, st.Mode().Perm())
		}
	}
}
