package test

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// otherOwner is an account the user has nothing to do with: a repository (or
// a submodule, a Cargo index, a Bazel URL) naming one of its CodeArtifact
// hosts must not make the credential helpers sign a GetAuthorizationToken
// for it with the user's keys.
const otherOwner = "999988887777"

var otherHost = "demo-" + otherOwner + ".d.codeartifact.us-east-1.amazonaws.com"

// credClient asks one client protocol's helper for host's credentials and
// returns the token it handed out ("" for none) and the run.
type credClient struct {
	name string
	ask  func(t *testing.T, h *harness, host string) (string, result)
}

var credClients = []credClient{
	{"git", func(t *testing.T, h *harness, host string) (string, result) {
		h.env["GIT_TERMINAL_PROMPT"] = "0"
		r := h.runIn(t.TempDir(), []byte("protocol=https\nhost="+host+"\n\n"),
			"git", "-c", "credential.helper=", "-c", "credential.helper=codeartifact", "credential", "fill")
		for _, line := range strings.Split(r.stdout, "\n") {
			if tok, ok := strings.CutPrefix(line, "password="); ok {
				return tok, r
			}
		}
		return "", r
	}},
	{"cargo", func(t *testing.T, h *harness, host string) (string, result) {
		req := `{"v":1,"registry":{"index-url":"sparse+https://` + host + `/cargo/releases/","name":"ca"},"kind":"get","operation":"read","args":[]}` + "\n"
		r := h.runIn("", []byte(req), "ca-helper", "--cargo-plugin")
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		var ans struct {
			Ok  *struct{ Token string }
			Err *struct{ Kind string }
		}
		if r.code != 0 || len(lines) != 2 || json.Unmarshal([]byte(lines[1]), &ans) != nil {
			t.Fatalf("cargo provider: %s", r)
		}
		if ans.Ok != nil {
			return ans.Ok.Token, r
		}
		if ans.Err == nil || ans.Err.Kind != "url-not-supported" {
			t.Fatalf("cargo provider answered %q, want a token or url-not-supported (Cargo asks the next provider)", lines[1])
		}
		return "", r
	}},
	{"bazel", func(t *testing.T, h *harness, host string) (string, result) {
		bazel := filepath.Join(h.home, "bazel-credential-codeartifact")
		if !fileExists(bazel) {
			if err := os.Symlink(filepath.Join(binDir, "ca-helper"), bazel); err != nil {
				t.Fatal(err)
			}
		}
		r := h.runIn("", []byte(`{"uri":"https://`+host+`/maven/releases/a/b.jar"}`), bazel, "get")
		var ans struct {
			Headers map[string][]string
		}
		if r.code != 0 || json.Unmarshal([]byte(r.stdout), &ans) != nil {
			t.Fatalf("bazel helper: %s", r)
		}
		auth := ans.Headers["Authorization"]
		if len(auth) == 0 {
			return "", r
		}
		basic, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(auth[0], "Basic "))
		return strings.TrimPrefix(string(basic), "aws:"), r
	}},
}

// TestCredentialHelpersServeOnlyAllowedOwners asks each credential helper
// (git, Cargo, Bazel) for a host of the user's account and for one of
// another account. Only allowed owners get a token, and for the others no
// GetAuthorizationToken reaches the service at all. By default the allowed
// owners are those the user configured plus the caller's own account;
// CA_HELPER_ALLOWED_OWNERS and the config's allowed_owners replace that list.
func TestCredentialHelpersServeOnlyAllowedOwners(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		config   string
		allowed  []string // hosts that get a token
		refused  []string // hosts that get none and cause no token call
		stsCalls int      // GetCallerIdentity calls over the whole run
	}{
		{name: "default: the configured owner", allowed: []string{caHost}, refused: []string{otherHost}, stsCalls: 1},
		{name: "default: the caller's own account", env: map[string]string{"CODEARTIFACT_DOMAIN_OWNER": ""},
			allowed: []string{caHost}, refused: []string{otherHost}, stsCalls: 1},
		{name: "default: a target without domain_owner lends its profile to no other account",
			env:     map[string]string{"CODEARTIFACT_DOMAIN_OWNER": ""},
			config:  "[targets.demo]\ndomain = \"demo\"\nregion = \"us-east-1\"\n",
			allowed: []string{caHost}, refused: []string{otherHost}, stsCalls: 1},
		{name: "CA_HELPER_ALLOWED_OWNERS is the whole list", env: map[string]string{"CA_HELPER_ALLOWED_OWNERS": otherOwner},
			allowed: []string{otherHost}, refused: []string{caHost}},
		{name: "allowed_owners in the config is the whole list", config: "allowed_owners = [\"" + otherOwner + "\"]\n",
			allowed: []string{otherHost}, refused: []string{caHost}},
		{name: "CA_HELPER_ALLOWED_OWNERS wins over the config", env: map[string]string{"CA_HELPER_ALLOWED_OWNERS": " " + testOwner + " ,"},
			config: "allowed_owners = [\"" + otherOwner + "\"]\n", allowed: []string{caHost}, refused: []string{otherHost}},
	}
	for _, c := range credClients {
		for _, tt := range tests {
			t.Run(c.name+"/"+tt.name, func(t *testing.T) {
				h := newHarness(t, fake.Options{})
				for k, v := range tt.env {
					h.env[k] = v
				}
				if tt.config != "" {
					writeFile(t, filepath.Join(h.home, ".config", "ca-helper", "config.toml"), tt.config)
				}
				var stderr strings.Builder
				for _, host := range tt.refused {
					before := h.fake.TokenCalls()
					tok, r := c.ask(t, h, host)
					stderr.WriteString(r.stderr)
					if tok != "" || h.fake.TokenCalls() != before {
						t.Fatalf("%s got a token for %s (token calls %d -> %d): %s", c.name, host, before, h.fake.TokenCalls(), r)
					}
					if owner := strings.Split(strings.SplitN(host, ".", 2)[0], "-")[1]; !strings.Contains(r.stderr, "domain owner "+owner+" is not allowed") {
						t.Errorf("%s: no note on stderr about the refused owner %s: %s", c.name, owner, r)
					}
				}
				for _, host := range tt.allowed {
					for range 2 { // the second time from the caches, the caller's account included
						tok, r := c.ask(t, h, host)
						if tok == "" || !h.fake.ValidToken(tok) {
							t.Fatalf("%s got no valid token for %s: %s", c.name, host, r)
						}
						stderr.WriteString(r.stderr)
					}
				}
				if h.fake.TokenCalls() != len(tt.allowed) {
					t.Errorf("token calls %d, want %d", h.fake.TokenCalls(), len(tt.allowed))
				}
				if got := h.fake.Calls(fake.OpGetCallerIdentity); got != tt.stsCalls {
					t.Errorf("GetCallerIdentity calls %d, want %d", got, tt.stsCalls)
				}
				if leak := findLeak(stderr.String(), leakNeedles(h.fake.IssuedTokens())); leak != "" {
					t.Errorf("a token reached stderr (%q)", leak)
				}
			})
		}
	}
}

// erase --all forgets the caller's account kept for the owner check along
// with the tokens: nothing ca-helper learned about the user stays behind.
func TestEraseAllForgetsTheCallerAccount(t *testing.T) {
	c := credClients[0]
	h := newHarness(t, fake.Options{})
	h.env["CODEARTIFACT_DOMAIN_OWNER"] = ""
	c.ask(t, h, otherHost) // refused, after asking STS who the caller is
	kept, _ := filepath.Glob(filepath.Join(h.cache, "caller-*.account"))
	if len(kept) != 1 || h.fake.Calls(fake.OpGetCallerIdentity) != 1 {
		t.Fatalf("kept accounts %v, GetCallerIdentity calls %d; want one of each", kept, h.fake.Calls(fake.OpGetCallerIdentity))
	}
	if r := h.run("ca-helper", "erase", "--all"); r.code != 0 {
		t.Fatalf("erase --all: %s", r)
	}
	if left, _ := filepath.Glob(filepath.Join(h.cache, "caller-*.account")); len(left) != 0 {
		t.Fatalf("erase --all left %v", left)
	}
	c.ask(t, h, otherHost)
	if got := h.fake.Calls(fake.OpGetCallerIdentity); got != 2 {
		t.Errorf("GetCallerIdentity calls %d after erase --all, want 2", got)
	}
}
