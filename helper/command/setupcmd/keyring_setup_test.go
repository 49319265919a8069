package setupcmd

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/helper/tools"
)

func TestCheckKeyring(t *testing.T) {
	tests := []struct {
		tool, path string
		keyring    bool
		code       int
		hint       string
	}{
		{tool: "npm", path: "/h/.npmrc"},
		{tool: "pip", path: "/h/.config/pip/pip.conf", keyring: true},
		{tool: "uv", path: "/h/.config/uv/uv.toml", keyring: true},
		{tool: "uv", path: "/p/uv.toml", keyring: true},
		{tool: "uv", path: "/p/pyproject.toml", keyring: true, code: failure.Usage, hint: "[tool.uv]"},
		{tool: "uv", path: "/p/pyproject.toml"},
		{tool: "poetry", path: "/p/pyproject.toml", keyring: true, code: failure.Usage, hint: "leave out --keyring"},
		{tool: "npm", path: "/h/.npmrc", keyring: true, code: failure.Usage, hint: "leave out --keyring"},
		{tool: "cargo", path: "/h/.cargo/config.toml", keyring: true, code: failure.Usage, hint: "leave out --keyring"},
	}
	for _, tt := range tests {
		tool, _ := tools.Lookup(tt.tool)
		err := checkKeyring(tt.keyring, tool, tt.path)
		if code, hint := failure.Classify(err); code != tt.code || !strings.Contains(hint, tt.hint) {
			t.Errorf("%s %s keyring %v: %v (exit %d, hint %q), want exit %d, hint with %q", tt.tool, tt.path, tt.keyring, err, code, hint, tt.code, tt.hint)
		}
	}
}

// setup --keyring writes the keyring form and closes with the hint to run
// the tool as usual; without keyring on PATH it warns, and still succeeds.
func TestSetupKeyringHint(t *testing.T) {
	ep := "https://my-domain-111122223333.d.codeartifact.eu-west-1.amazonaws.com/pypi/releases/"
	for _, tt := range []struct {
		tool, want string
		onPath     bool
	}{
		{tool: "pip", onPath: true, want: "[global]\nindex-url = " + strings.Replace(ep, "://", "://aws@", 1) + "simple/\nkeyring-provider = subprocess\n"},
		{tool: "uv", want: "keyring-provider = \"subprocess\"\n\n[[index]]\nname = \"releases\"\nurl = \"" + strings.Replace(ep, "://", "://aws@", 1) +
			"simple/\"\npublish-url = \"" + ep + "\"\ndefault = true\nauthenticate = \"always\"\n"},
	} {
		t.Run(tt.tool, func(t *testing.T) {
			saved := lookPath
			t.Cleanup(func() { lookPath = saved })
			lookPath = func(name string) (string, error) {
				if tt.onPath && name == "keyring" {
					return "/usr/bin/keyring", nil
				}
				return "", errors.New("not found")
			}
			tool, _ := tools.Lookup(tt.tool)
			path := filepath.Join(t.TempDir(), "config")
			var out, errOut bytes.Buffer
			e := &cmdenv.Env{System: cmdenv.System{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }, Now: time.Now}}
			in := setupInput{tool: tool, config: tool.Config, path: path, newMode: 0o600,
				query:    cmdenv.EndpointQuery{Target: target.Target{Domain: "my-domain", Repository: "releases"}, Timeout: time.Minute, Format: "pypi"},
				registry: tools.Registry{Name: "releases", EnvVar: "CODEARTIFACT_AUTH_TOKEN", Keyring: true}}
			if err := setup(e, context.Background(), in, &fakeEndpoints{url: ep}); err != nil {
				t.Fatal(err)
			}
			if b, _ := os.ReadFile(path); string(b) != tt.want {
				t.Errorf("file %q, want %q", b, tt.want)
			}
			stderr := errOut.String()
			warned := strings.Contains(stderr, "warning: keyring is not on PATH") && strings.Contains(stderr, "pipx inject keyring")
			if !strings.Contains(stderr, "run "+tt.tool+" as usual: it asks the keyring backend, which asks ca-helper") ||
				strings.Contains(stderr, "ca-helper exec") || warned == tt.onPath {
				t.Errorf("stderr %q (keyring on PATH: %v)", stderr, tt.onPath)
			}
		})
	}
}
