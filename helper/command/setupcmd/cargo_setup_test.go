package setupcmd

import (
	"bytes"
	"context"
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

func TestCargoConfigPath(t *testing.T) {
	cargo, _ := tools.Lookup("cargo")
	project := t.TempDir()
	tests := []struct {
		name, cargoHome, project, want string
	}{
		{name: "user", want: filepath.Join("/home/u", ".cargo", "config.toml")},
		{name: "CARGO_HOME", cargoHome: "/opt/cargo", want: filepath.Join("/opt/cargo", "config.toml")},
		{name: "project wins", cargoHome: "/opt/cargo", project: project, want: filepath.Join(project, ".cargo", "config.toml")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"HOME": "/home/u", "CARGO_HOME": tt.cargoHome}
			e := &cmdenv.Env{System: cmdenv.System{Getenv: func(k string) string { return env[k] }, Now: time.Now}}
			path, mode, err := configPath(e, cargo, tt.project)
			if err != nil || path != tt.want || mode != 0o644 {
				t.Errorf("configPath = %q, %v, %v; want %q, 0644", path, mode, err, tt.want)
			}
		})
	}
}

func TestSetupCargo(t *testing.T) {
	const url = "https://my-domain-111122223333.d.codeartifact.eu-west-1.amazonaws.com/cargo/releases/"
	table := "[registries.releases]\nindex = \"sparse+" + url + "\"\ncredential-provider = \"ca-helper\"\n"
	tests := []struct {
		name, existing, want, stderr string
		code                         int
	}{
		{name: "other tables kept", existing: "[net]\nretry = 3\n", want: "[net]\nretry = 3\n\n" + table, stderr: "run cargo as usual"},
		{name: "dotted keys refused, untouched", existing: "registries.releases.index = \"x\"\n",
			want: "registries.releases.index = \"x\"\n", code: failure.Usage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.toml")
			if err := os.WriteFile(path, []byte(tt.existing), 0o600); err != nil {
				t.Fatal(err)
			}
			cargo, _ := tools.Lookup("cargo")
			var out, errOut bytes.Buffer
			e := &cmdenv.Env{System: cmdenv.System{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }, Now: time.Now}}
			in := setupInput{tool: cargo, config: cargo.Config, path: path, newMode: 0o644,
				query:    cmdenv.EndpointQuery{Target: target.Target{Domain: "my-domain", Repository: "releases"}, Timeout: time.Minute, Format: "cargo"},
				registry: tools.Registry{Name: "releases"}}
			err := setup(e, context.Background(), in, &fakeEndpoints{url: url})
			if code, _ := failure.Classify(err); code != tt.code {
				t.Fatalf("setup = %v (exit %d), want exit %d", err, code, tt.code)
			}
			if b, _ := os.ReadFile(path); string(b) != tt.want || !strings.Contains(errOut.String(), tt.stderr) {
				t.Errorf("file %q, stderr %q; want %q and %q", b, errOut.String(), tt.want, tt.stderr)
			}
			if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
				t.Errorf("mode %v, want the file's 0600 kept", st.Mode().Perm())
			}
		})
	}
}
