package command

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/helper/tokens"
	"github.com/ca-helper/ca-helper/keyring"
)

const (
	credHost   = "my-domain-111122223333.d.codeartifact.us-east-1.amazonaws.com"
	credPinned = "artifacts.example.com"
	credToken  = "tok3n.SECRET-value_~+/="
	credProxy  = "proxy-token.value"
)

// credSetup writes a config with a target for credHost (profile dev) and one
// pinning credPinned, caches a token for each in a file cache, and points the
// SDK at a closed port so a cache miss fails fast instead of reaching AWS.
func credSetup(t *testing.T) (vars map[string]string, exp time.Time) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	err := os.WriteFile(cfg, []byte(`
[targets.work]
domain = "my-domain"
domain_owner = "111122223333"
region = "us-east-1"
profile = "dev"

[targets.proxy]
domain = "other-domain"
domain_owner = "444455556666"
region = "eu-west-1"
host = "Artifacts.Example.com"
`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	vars = map[string]string{"CA_HELPER_CONFIG": cfg, "CA_HELPER_CACHE": "file"}
	for k, v := range map[string]string{
		"CA_HELPER_CACHE_DIR":           filepath.Join(dir, "cache"),
		"AWS_ENDPOINT_URL_CODEARTIFACT": "http://127.0.0.1:1",
		"AWS_EC2_METADATA_DISABLED":     "true",
		"AWS_CONFIG_FILE":               filepath.Join(dir, "none"),
		"AWS_SHARED_CREDENTIALS_FILE":   filepath.Join(dir, "none"),
		"AWS_ACCESS_KEY_ID":             "",
		"AWS_PROFILE":                   "",
	} {
		vars[k] = v
	}
	store, err := keyring.Open("file", keyring.Options{Dir: vars["CA_HELPER_CACHE_DIR"], Report: func(keyring.Event) {}})
	if err != nil {
		t.Fatal(err)
	}
	exp = time.Now().Add(6 * time.Hour).Truncate(time.Second)
	getenv := func(k string) string { return vars[k] }
	for _, c := range []struct {
		t   target.Target
		tok string
	}{
		{target.Target{Domain: "my-domain", Owner: "111122223333", Region: "us-east-1", Profile: "dev"}, credToken},
		{target.Target{Domain: "other-domain", Owner: "444455556666", Region: "eu-west-1"}, credProxy},
	} {
		e := keyring.Entry{Token: keyring.Token(c.tok), Expiration: exp, Fetched: time.Now().Add(-time.Hour)}
		if err := store.Set(tokens.CacheKey(c.t, getenv), e); err != nil {
			t.Fatal(err)
		}
	}
	return vars, exp
}

// credRun runs the app with vars as its whole environment and reports what Run would.
func credRun(vars map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	getenv := func(k string) string { return vars[k] }
	e := &cmdenv.Env{System: cmdenv.System{AWS: refusingAWS{}, Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut,
		Getenv: getenv, Environ: func() []string { return nil }, Getwd: os.Getwd, Now: time.Now}}
	app := newApp(e)
	err := app.RunContext(context.Background(), append([]string{"ca-helper"}, args...))
	code, _ = failure.Classify(err)
	if err != nil {
		fmt.Fprintf(&errOut, "ca-helper: error: %s\n", err)
	}
	return code, out.String(), errOut.String()
}

func TestCredentialCommands(t *testing.T) {
	vars, exp := credSetup(t)
	epoch := fmt.Sprint(exp.Unix())
	gitAnswer := func(tok string) string {
		return "username=aws\npassword=" + tok + "\npassword_expiry_utc=" + epoch + "\n"
	}
	cargoRead := func(host string) string {
		return `{"v":1,"registry":{"index-url":"sparse+https://` + host + `/cargo/r/","name":"r"},"kind":"get","operation":"read"}` + "\n"
	}
	tests := []struct {
		name       string
		args       []string
		stdin      string
		wantCode   int // -1: any failure
		wantOut    string
		wantStderr string // substring
	}{
		{"git get", []string{"credential", "get"}, "protocol=https\nhost=" + credHost + "\n\n", 0, gitAnswer(credToken), ""},
		{"git get, uppercase host", []string{"credential", "get"}, "protocol=https\nhost=" + strings.ToUpper(credHost) + "\n", 0, gitAnswer(credToken), ""},
		{"git get, pinned host", []string{"credential", "get"}, "protocol=https\nhost=" + credPinned + "\n\n", 0, gitAnswer(credProxy), ""},
		{"git get, other host", []string{"credential", "get"}, "protocol=https\nhost=github.com\n\n", 0, "", ""},
		{"git get, look-alike host", []string{"credential", "get"}, "protocol=https\nhost=" + credHost + ".evil.com\n\n", 0, "", ""},
		{"git get, port", []string{"credential", "get"}, "protocol=https\nhost=" + credHost + ":443\n\n", 0, "", ""},
		{"git get, http", []string{"credential", "get"}, "protocol=http\nhost=" + credHost + "\n\n", 0, "", ""},
		{"git get, NUL", []string{"credential", "get"}, "protocol=https\nhost=" + credHost + "\x00\n\n", 2, "", "bad input: NUL byte"},
		{"git get, no =", []string{"credential", "get"}, "protocol=https\nhost\n\n", 2, "", "bad input"},
		{"git store", []string{"credential", "store"}, "protocol=https\nhost=" + credHost + "\npassword=x\n\n", 0, "", ""},
		{"git, no action", []string{"credential"}, "", 2, "", "credential wants one action"},
		{"git get, other profile misses the cache", []string{"credential", "--profile", "other", "get"},
			"protocol=https\nhost=" + credHost + "\n\n", -1, "", "profile, other"},
		{"cargo", []string{"cargo-credential", "--cargo-plugin"}, cargoRead(credHost) + cargoRead("index.crates.io"), 0,
			`{"v":[1]}` + "\n" +
				`{"Ok":{"kind":"get","token":"` + credToken + `","cache":"expires","expiration":` + epoch + `,"operation_independent":true}}` + "\n" +
				`{"Err":{"kind":"url-not-supported"}}` + "\n", ""},
		{"cargo, malformed request is answered in-band", []string{"cargo-credential"}, "{\n", 0,
			`{"v":[1]}` + "\n" + `{"Err":{"kind":"other","message":"malformed request: unexpected end of JSON input","caused-by":[]}}` + "\n", ""},
		{"bazel", []string{"bazel-credential", "get"}, `{"uri":"https://` + credHost + `/generic/r/x"}`, 0,
			`{"headers":{"Authorization":["Basic YXdzOnRvazNuLlNFQ1JFVC12YWx1ZV9+Ky89"]},"expires":"` +
				exp.UTC().Format(time.RFC3339) + `"}` + "\n", ""},
		{"bazel, other host", []string{"bazel-credential", "get"}, `{"uri":"https://github.com/x"}`, 0, "{}\n", ""},
		{"bazel, malformed", []string{"bazel-credential", "get"}, `{"uri":`, 2, "", "bad input"},
		{"bazel, no command", []string{"bazel-credential"}, `{"uri":"https://` + credHost + `/x"}`, 2, "", "supports only get"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := credRun(vars, tt.stdin, tt.args...)
			if (code != tt.wantCode && (tt.wantCode >= 0 || code == 0)) || out != tt.wantOut || !strings.Contains(errOut, tt.wantStderr) {
				t.Errorf("exit %d, stdout %q, stderr %q\nwant exit %d, stdout %q, stderr containing %q",
					code, out, errOut, tt.wantCode, tt.wantOut, tt.wantStderr)
			}
			if strings.Contains(errOut, credToken) || strings.Contains(errOut, credProxy) {
				t.Errorf("token on stderr: %q", errOut)
			}
		})
	}
}

func TestCredentialErase(t *testing.T) {
	vars, _ := credSetup(t)
	for _, args := range [][]string{{"credential", "erase"}, {"credential", "erase"}} { // twice: a missing entry is fine
		if code, out, errOut := credRun(vars, "protocol=https\nhost="+credHost+"\n\n", args...); code != 0 || out != "" {
			t.Fatalf("erase: exit %d, stdout %q, stderr %q", code, out, errOut)
		}
	}
	store, err := keyring.Open("file", keyring.Options{Dir: vars["CA_HELPER_CACHE_DIR"], Report: func(keyring.Event) {}})
	if err != nil {
		t.Fatal(err)
	}
	getenv := func(k string) string { return vars[k] }
	if _, err := store.Get(tokens.CacheKey(target.Target{Domain: "my-domain", Owner: "111122223333", Region: "us-east-1", Profile: "dev"}, getenv)); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("after erase: Get error = %v, want ErrNotFound", err)
	}
	if _, err := store.Get(tokens.CacheKey(target.Target{Domain: "other-domain", Owner: "444455556666", Region: "eu-west-1"}, getenv)); err != nil {
		t.Errorf("erase removed another target's token: %v", err)
	}
}
