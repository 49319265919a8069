package test

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
	"github.com/ca-helper/ca-helper/test/testenv"
)

const caHost = "demo-" + testOwner + ".d.codeartifact.us-east-1.amazonaws.com"

func TestGitCredentialFillThroughInstalledLink(t *testing.T) {
	h := newHarness(t, fake.Options{})
	h.env["GIT_TERMINAL_PROMPT"] = "0"
	h.env["GIT_CONFIG_NOSYSTEM"] = "1"
	fill := func(host string) result {
		return h.runIn(t.TempDir(), []byte("protocol=https\nhost="+host+"\n\n"),
			"git", "-c", "credential.helper=", "-c", "credential.helper=codeartifact", "credential", "fill")
	}
	r := fill(caHost)
	if r.code != 0 {
		t.Fatalf("git credential fill: %s", r)
	}
	issued := h.fake.IssuedTokens()
	if len(issued) != 1 || !strings.Contains(r.stdout, "username=aws\npassword="+issued[0]+"\n") {
		t.Fatalf("git did not get the issued token:\n%s", r)
	}

	other := fill("github.com")
	if strings.Contains(other.stdout+other.stderr, issued[0]) {
		t.Fatal("the CodeArtifact token was handed to github.com")
	}
	if other.code == 0 && strings.Contains(other.stdout, "password=") {
		t.Fatalf("some password was produced for github.com: %s", other)
	}
	lookalike := fill(caHost + ".evil.com")
	if strings.Contains(lookalike.stdout+lookalike.stderr, issued[0]) || h.fake.TokenCalls() != 1 {
		t.Fatal("a look-alike host got a token or caused a fetch")
	}

	reject := h.runIn(t.TempDir(), []byte("protocol=https\nhost="+caHost+"\nusername=aws\npassword=x\n\n"),
		"git", "-c", "credential.helper=", "-c", "credential.helper=codeartifact", "credential", "reject")
	if reject.code != 0 {
		t.Fatalf("git credential reject: %s", reject)
	}
	if r := fill(caHost); r.code != 0 || h.fake.TokenCalls() != 2 {
		t.Fatalf("after reject the token was not fetched again (calls %d): %s", h.fake.TokenCalls(), r)
	}
}

func TestCargoAndBazelHelpersThroughBinary(t *testing.T) {
	h := newHarness(t, fake.Options{})
	tok := h.mustGet()
	req := `{"v":1,"registry":{"index-url":"sparse+https://` + caHost + `/cargo/releases/","name":"ca"},"kind":"get","operation":"read","args":[]}` + "\n"
	r := h.runIn("", []byte(req), "ca-helper", "--cargo-plugin")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 2 || lines[0] != `{"v":[1]}` {
		t.Fatalf("cargo provider: %s", r)
	}
	var ans struct {
		Ok struct {
			Kind, Token, Cache string
			Expiration         int64
		}
	}
	if err := json.Unmarshal([]byte(lines[1]), &ans); err != nil || ans.Ok.Token != tok || ans.Ok.Cache != "expires" || ans.Ok.Expiration == 0 {
		t.Fatalf("cargo answer %q (%v)", lines[1], err)
	}

	bazel := filepath.Join(t.TempDir(), "bazel-credential-codeartifact")
	if err := os.Symlink(filepath.Join(binDir, "ca-helper"), bazel); err != nil {
		t.Fatal(err)
	}
	r = h.runIn("", []byte(`{"uri":"https://`+caHost+`/maven/releases/a/b.jar"}`), bazel, "get")
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("aws:"+tok))
	if r.code != 0 || !strings.Contains(r.stdout, `"Authorization":["`+want+`"]`) {
		t.Fatalf("bazel helper: %s", r)
	}
	r = h.runIn("", []byte(`{"uri":"https://example.com/x.jar"}`), bazel, "get")
	if r.code != 0 || strings.TrimSpace(r.stdout) != "{}" {
		t.Fatalf("bazel helper for another host: %s", r)
	}
}

func TestNpmThroughExec(t *testing.T) {
	testenv.Tool(t, "npm", "apt-get install -y npm", "--version")
	h := newHarness(t, fake.Options{})
	registry := h.fake.URL() + "/npm/releases/"
	project := t.TempDir()
	npmrc := "registry=" + registry + "\n" + strings.TrimPrefix(registry, "http:") + ":_authToken=${CODEARTIFACT_AUTH_TOKEN}\n"
	if err := os.WriteFile(filepath.Join(project, ".npmrc"), []byte(npmrc), 0o600); err != nil {
		t.Fatal(err)
	}
	h.env["npm_config_cache"] = filepath.Join(t.TempDir(), "npm-cache")
	h.env["npm_config_update_notifier"] = "false"
	r := h.runIn(project, nil, "ca-helper", "exec", "--", "npm", "view", "left-pad", "version")
	if r.code != 0 || strings.TrimSpace(r.stdout) != "1.0.0" {
		t.Fatalf("npm view through ca-helper exec: %s", r)
	}
	if h.fake.Calls(fake.OpNPM) == 0 {
		t.Fatal("npm never reached the fake registry")
	}
	// Without the token the same request is refused, so the test above really
	// depended on the token ca-helper put in the environment.
	r = h.runIn(project, nil, "npm", "view", "left-pad", "version")
	if r.code == 0 {
		t.Fatalf("npm succeeded without a token: %s", r)
	}
}
