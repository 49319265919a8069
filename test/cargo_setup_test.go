package test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// TestCargoSetupThenPlainCargo is the Cargo path a user takes: `ca-helper
// setup --tool cargo` from an empty CARGO_HOME and a fresh HOME, then plain
// cargo, no wrapper: Cargo runs ca-helper as the registry's credential
// provider. The config holds no token, and a second setup changes nothing.
func TestCargoSetupThenPlainCargo(t *testing.T) {
	requireCargo(t)
	h := newHarness(t, fake.Options{})
	reg := startCargoRegistry(t, h)
	writeFile(t, filepath.Join(h.home, ".config", "ca-helper", "config.toml"), `[targets.fake]
domain = "demo"
domain_owner = "`+testOwner+`"
region = "us-east-1"
host = "`+reg.host+`"
`)
	setCargoEnv(t, h, reg, "")
	// The endpoint is looked up on the fake's TLS listener, so it is https.
	h.env["AWS_ENDPOINT_URL_CODEARTIFACT"] = "https://" + reg.host
	h.env["AWS_CA_BUNDLE"] = reg.caFile
	config := filepath.Join(h.env["CARGO_HOME"], "config.toml")
	want := "[registries.ca]\nindex = \"" + reg.index + "\"\ncredential-provider = \"ca-helper\"\n"

	r := h.run("ca-helper", "setup", "--tool", "cargo", "--repository", "my.repo")
	if r.code != 2 || !strings.Contains(r.stderr, "--registry") || fileExists(config) {
		t.Fatalf("a repository name that is no registry name: want exit 2 asking for --registry, no file: %s", r)
	}
	first := setupThreeRuns(t, h, []string{"--tool", "cargo", "--repository", "releases", "--registry", "ca"}, config,
		"+index = \""+reg.index+"\"", want, "")

	project := cargoProject(t)
	for _, args := range [][]string{{"generate-lockfile"}, {"fetch"}} {
		if r := h.runIn(project, nil, "cargo", args...); r.code != 0 {
			t.Fatalf("cargo %s: %s", args[0], r)
		}
	}
	issued := h.fake.IssuedTokens()
	if len(issued) != 1 {
		t.Fatalf("the fake issued %d tokens, want 1", len(issued))
	}
	wantCargoRequests(t, h.fake.Requests(), issued[0])
	if b, _ := os.ReadFile(config); !bytes.Equal(b, first) {
		t.Errorf("cargo changed %s: %q", config, b)
	}
	checkFiles(t, h, leakNeedles(issued), "", h.home, h.env["CARGO_HOME"], project)
}
