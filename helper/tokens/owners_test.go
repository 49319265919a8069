package tokens

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/helper/awsproc"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/keyring"
)

const (
	ownHost   = "my-domain-111122223333.d.codeartifact.us-east-1.amazonaws.com"
	otherHost = "my-domain-999988887777.d.codeartifact.us-east-1.amazonaws.com"
)

// accountAWS is AWS for the credential helpers: tokens for any domain, and
// the caller's account; it counts both kinds of call.
type accountAWS struct {
	mu         sync.Mutex
	account    string
	accountErr error
	accounts   []awsproc.Request
	tokens     []awsproc.Request
}

func (a *accountAWS) Token(_ context.Context, r awsproc.Request) (awsproc.Token, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.tokens = append(a.tokens, r)
	return awsproc.Token{Value: keyring.Token("token-for-" + r.Owner), Expiration: time.Now().Add(12 * time.Hour)}, nil
}

func (a *accountAWS) Endpoint(context.Context, awsproc.Request, string, string) (string, error) {
	return "", errors.New("not used")
}

func (a *accountAWS) Account(_ context.Context, r awsproc.Request) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.accounts = append(a.accounts, r)
	return a.account, a.accountErr
}

// hostsFor is Hosts on a in a private cache dir, with vars as the whole
// environment; rec collects its warnings.
func hostsFor(t *testing.T, a *accountAWS, vars map[string]string) (Hosts, *recorder) {
	t.Helper()
	env := map[string]string{"CA_HELPER_CACHE_DIR": filepath.Join(t.TempDir(), "cache"), "CA_HELPER_CACHE": "file"}
	for k, v := range vars {
		env[k] = v
	}
	rec := &recorder{}
	getenv := envMap(env)
	return Hosts{Env: Env{AWS: a, Getenv: getenv, Now: time.Now, Warn: rec.warn, Debugf: rec.debugf},
		In: &target.Inputs{Flags: map[string]string{}, Getenv: getenv, ConfigPath: env["CA_HELPER_CONFIG"]}}, rec
}

func TestHostsServeOnlyAllowedOwners(t *testing.T) {
	errNoCreds := errors.New("no credentials")
	tests := []struct {
		name         string
		env          map[string]string
		config       string
		caller       string
		callerErr    error
		host         string
		want         bool
		wantErr      bool
		wantAccounts int
	}{
		{name: "own account, learned from STS", caller: "111122223333", host: ownHost, want: true, wantAccounts: 1},
		{name: "other account", caller: "111122223333", host: otherHost, want: false, wantAccounts: 1},
		{name: "configured owner needs no STS call", env: map[string]string{"CODEARTIFACT_DOMAIN_OWNER": "999988887777"},
			callerErr: errNoCreds, host: otherHost, want: true},
		{name: "config target's owner", config: "[targets.t]\ndomain = \"other\"\ndomain_owner = \"999988887777\"\n",
			callerErr: errNoCreds, host: otherHost, want: true},
		{name: "a target without owner lends its profile to no other account", config: "[targets.t]\ndomain = \"my-domain\"\nprofile = \"dev\"\n",
			caller: "111122223333", host: otherHost, want: false, wantAccounts: 1},
		{name: "caller unknown: the error, no token", callerErr: errNoCreds, host: otherHost, wantErr: true, wantAccounts: 1},
		{name: "explicit list, caller's own account not in it", env: map[string]string{"CA_HELPER_ALLOWED_OWNERS": "999988887777"},
			caller: "111122223333", host: ownHost, want: false},
		{name: "explicit list", env: map[string]string{"CA_HELPER_ALLOWED_OWNERS": "999988887777"}, host: otherHost, want: true},
		{name: "not a CodeArtifact host: no STS call", caller: "111122223333", host: "github.com", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &accountAWS{account: tt.caller, accountErr: tt.callerErr}
			env := map[string]string{}
			for k, v := range tt.env {
				env[k] = v
			}
			if tt.config != "" {
				env["CA_HELPER_CONFIG"] = filepath.Join(t.TempDir(), "config.toml")
				if err := os.WriteFile(env["CA_HELPER_CONFIG"], []byte(tt.config), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			h, rec := hostsFor(t, a, env)
			tok, _, ok, err := h.Lookup(context.Background(), tt.host)
			if ok != tt.want || (err != nil) != tt.wantErr || (tok != "") != tt.want {
				t.Fatalf("Lookup = ok %v, err %v, token %v; want ok %v, error %v", ok, err, tok != "", tt.want, tt.wantErr)
			}
			if _, hint := failure.Classify(err); err != nil && !strings.Contains(hint, "CODEARTIFACT_DOMAIN_OWNER, which needs no STS call") {
				t.Errorf("hint %q does not say how to do without the STS call", hint)
			}
			if len(a.accounts) != tt.wantAccounts || len(a.tokens) != map[bool]int{true: 1}[tt.want] {
				t.Errorf("calls: account %d, token %d; want %d, %v", len(a.accounts), len(a.tokens), tt.wantAccounts, tt.want)
			}
			refused := !tt.want && !tt.wantErr && strings.HasSuffix(tt.host, ".amazonaws.com")
			if warned := strings.Contains(rec.all(), "is not allowed"); warned != refused {
				t.Errorf("warned %v, want %v: %s", warned, refused, rec.all())
			}
		})
	}
}

func TestCallerAccountIsKeptNextToTheCache(t *testing.T) {
	a := &accountAWS{account: "111122223333"}
	h, _ := hostsFor(t, a, map[string]string{"AWS_PROFILE": "dev"})
	for range 2 {
		if _, _, ok, err := h.Lookup(context.Background(), otherHost); ok || err != nil {
			t.Fatalf("other account: ok %v, err %v", ok, err)
		}
	}
	if len(a.accounts) != 1 || a.accounts[0].Profile != "dev" || a.accounts[0].Region != "us-east-1" {
		t.Fatalf("account calls %+v, want one for profile dev in us-east-1", a.accounts)
	}
	dir := h.Env.Getenv("CA_HELPER_CACHE_DIR")
	files, _ := filepath.Glob(filepath.Join(dir, "caller-*.account"))
	if len(files) != 1 {
		t.Fatalf("account files %v, want one", files)
	}
	if fi, err := os.Stat(files[0]); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("account file mode: %v %v", fi, err)
	}

	// erase --all forgets it: the next lookup asks STS again.
	if err := ForgetCallerAccounts(dir); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "caller-*.account")); len(left) != 0 {
		t.Fatalf("after ForgetCallerAccounts: %v", left)
	}
	h.Lookup(context.Background(), otherHost)
	if len(a.accounts) != 2 {
		t.Fatalf("account calls %d after forgetting, want 2", len(a.accounts))
	}
	files, _ = filepath.Glob(filepath.Join(dir, "caller-*.account"))

	// Another profile is another caller.
	h2, _ := hostsFor(t, a, map[string]string{"AWS_PROFILE": "prod", "CA_HELPER_CACHE_DIR": dir})
	h2.Lookup(context.Background(), otherHost)
	if len(a.accounts) != 3 {
		t.Errorf("another profile used the first one's account")
	}

	// A file someone else could have written is not believed.
	if err := os.WriteFile(files[0], []byte(`{"v":1,"account":"999988887777","expires":"`+
		time.Now().Add(time.Hour).UTC().Format(time.RFC3339)+`"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, _, ok, _ := h.Lookup(context.Background(), otherHost); ok || len(a.accounts) != 4 {
		t.Errorf("an account file in a directory open to others was used (ok %v, calls %d)", ok, len(a.accounts))
	}
}

func TestCallerAccountExpiresAndCacheNoneKeepsNothing(t *testing.T) {
	a := &accountAWS{account: "111122223333"}
	h, _ := hostsFor(t, a, nil)
	now := time.Now()
	h.Env.Now = func() time.Time { return now }
	h.Lookup(context.Background(), otherHost)
	now = now.Add(accountTTL + time.Minute)
	h.Lookup(context.Background(), otherHost)
	if len(a.accounts) != 2 {
		t.Errorf("account calls %d, want 2: the account is learned again after %s", len(a.accounts), accountTTL)
	}

	a = &accountAWS{account: "111122223333"}
	h, _ = hostsFor(t, a, map[string]string{"CA_HELPER_CACHE": "none"})
	h.Lookup(context.Background(), otherHost)
	h.Lookup(context.Background(), otherHost)
	files, _ := filepath.Glob(filepath.Join(h.Env.Getenv("CA_HELPER_CACHE_DIR"), "*"))
	if len(a.accounts) != 2 || len(files) != 0 {
		t.Errorf("--cache none: account calls %d (want 2), files %v (want none)", len(a.accounts), files)
	}
}

func TestCallerAccountFromTokenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token.json")
	doc := `{"token":"tok","expiration":"` + time.Now().Add(6*time.Hour).UTC().Format(time.RFC3339) +
		`","target":{"domain":"my-domain","domain_owner":"999988887777"}}`
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	a := &accountAWS{accountErr: errors.New("no AWS call in token-file mode")}
	h, _ := hostsFor(t, a, map[string]string{"CA_HELPER_TOKEN_FILE": path})
	if tok, _, ok, err := h.Lookup(context.Background(), otherHost); !ok || err != nil || tok != "tok" {
		t.Errorf("token file's own owner: ok %v, err %v", ok, err)
	}
	if _, _, ok, err := h.Lookup(context.Background(), ownHost); ok || err != nil {
		t.Errorf("another owner in token-file mode: ok %v, err %v", ok, err)
	}
	if len(a.accounts)+len(a.tokens) != 0 {
		t.Errorf("AWS was called in token-file mode")
	}
}
