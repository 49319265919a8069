package test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// TestTokenFileServesAFleetWithoutAWSCalls: one job fetches the token and
// publishes `get --format json`; hosts read it through CA_HELPER_TOKEN_FILE and
// never call AWS, not even with no credentials at all.
func TestTokenFileServesAFleetWithoutAWSCalls(t *testing.T) {
	h := newHarness(t, fake.Options{})
	r := h.run("ca-helper", "get", "--format", "json", "--no-cache")
	if r.code != 0 {
		t.Fatalf("central job: %s", r)
	}
	file := filepath.Join(h.home, "mounted-secret.json")
	if err := os.WriteFile(file, []byte(r.stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	tok := h.fake.IssuedTokens()[0]

	h.env["AWS_ACCESS_KEY_ID"], h.env["AWS_SECRET_ACCESS_KEY"] = "", ""
	h.env["CA_HELPER_TOKEN_FILE"] = file
	for range 3 {
		if r := h.run("ca-helper", "get"); r.code != 0 || strings.TrimSpace(r.stdout) != tok {
			t.Fatalf("host get from the token file: %s", r)
		}
	}
	if r := h.run("ca-helper", "exec", "--", "sh", "-c", `printf %s "$CODEARTIFACT_AUTH_TOKEN"`); r.stdout != tok {
		t.Fatalf("exec with the token file: %s", r)
	}
	if n := h.fake.TokenCalls(); n != 1 {
		t.Fatalf("hosts reading the token file made API calls: %d in all, want 1", n)
	}

	h.env["CODEARTIFACT_DOMAIN"] = "other-domain"
	wantFailure(t, h.run("ca-helper", "get"), 2, "not for other-domain")
}

func TestTokenFileRejectsExpiredAndGarbage(t *testing.T) {
	h := newHarness(t, fake.Options{})
	file := filepath.Join(h.home, "token.json")
	h.env["CA_HELPER_TOKEN_FILE"] = file
	past := time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
	soon := time.Now().Add(20 * time.Minute).UTC().Format(time.RFC3339)
	cases := []struct {
		name, content string
		code          int
		errPart       string
	}{
		{"expired", `{"token":"abc.def","expiration":"` + past + `","target":{"domain":"demo"}}`, 1, "expired at"},
		{"garbage", `not json SECRETSECRET`, 1, "not a ca-helper JSON token"},
		{"control characters", `{"token":"ab\ncd","expiration":"` + soon + `","target":{"domain":"demo"}}`, 1, "lacks a valid token"},
		{"missing", "", 1, "read token file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(file)
			if tc.content != "" {
				if err := os.WriteFile(file, []byte(tc.content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			r := h.run("ca-helper", "get")
			wantFailure(t, r, tc.code, tc.errPart)
			if strings.Contains(r.stderr, "SECRETSECRET") {
				t.Error("the file's content reached stderr")
			}
		})
	}
	// Valid but due within min-ttl: served, with a warning.
	if err := os.WriteFile(file, []byte(`{"token":"abc.def","expiration":"`+soon+`","target":{"domain":"demo"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	r := h.run("ca-helper", "get")
	if r.code != 0 || r.stdout != "abc.def\n" || !strings.Contains(r.stderr, "sooner than min-ttl") {
		t.Fatalf("token due soon: %s", r)
	}
	if h.fake.TokenCalls() != 0 {
		t.Fatal("the token file path called AWS")
	}
}
