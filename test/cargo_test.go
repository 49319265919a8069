package test

import (
	"encoding/pem"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
	"github.com/ca-helper/ca-helper/test/testenv"
)

// cargoRegistry is a sparse Cargo registry served by the fake over TLS, as
// Cargo and ca-helper's provider want https, with the files Cargo needs.
type cargoRegistry struct {
	host   string // 127.0.0.1:PORT
	index  string // sparse+https://HOST/cargo/releases/
	caFile string // PEM of the server's certificate, for CARGO_HTTP_CAINFO
}

// TestCargoThroughCredentialProvider runs real Cargo against an
// authenticated sparse registry (RFC 3139) on the fake: Cargo gets its token
// from `ca-helper --cargo-plugin`, configured as the Cargo recipe of docs/clients.md
// says, with the registry host pinned in ca-helper's config file.
func TestCargoThroughCredentialProvider(t *testing.T) {
	requireCargo(t)
	h := newHarness(t, fake.Options{})
	reg := startCargoRegistry(t, h)
	writeFile(t, filepath.Join(h.home, ".config", "ca-helper", "config.toml"), `[targets.fake]
domain = "demo"
domain_owner = "`+testOwner+`"
region = "us-east-1"
host = "`+reg.host+`"
`)
	project := cargoProject(t)
	setCargoEnv(t, h, reg, `credential-provider = "ca-helper"`)

	var out strings.Builder
	for _, args := range [][]string{{"generate-lockfile"}, {"fetch"}, {"run", "--offline", "--quiet"}} {
		r := h.runIn(project, nil, "cargo", args...)
		if r.code != 0 {
			t.Fatalf("cargo %s: %s", args[0], r)
		}
		out.WriteString(r.stdout + r.stderr)
	}
	if !strings.Contains(out.String(), "uses hello-crate\n") {
		t.Errorf("the program built from the fetched crate did not run:\n%s", out.String())
	}
	lock, err := os.ReadFile(filepath.Join(project, "Cargo.lock"))
	if want := "name = \"hello-crate\"\nversion = \"1.0.0\"\nsource = \"" + reg.index + "\"\nchecksum = "; err != nil || !strings.Contains(string(lock), want) {
		t.Errorf("Cargo.lock lacks %q (%v):\n%s", want, err, lock)
	}
	issued := h.fake.IssuedTokens()
	if len(issued) != 1 {
		t.Fatalf("the fake issued %d tokens, want 1", len(issued))
	}
	if strings.Contains(out.String(), issued[0]) {
		t.Error("Cargo printed the token")
	}
	wantCargoRequests(t, h.fake.Requests(), issued[0])

	wantCargoRefused(t, h, reg, project)
}

// wantCargoRefused runs the project again with Cargo's own provider instead
// of ca-helper: without a token, and with one the fake did not issue, the
// registry refuses Cargo. So a passing run really depended on the token
// ca-helper provided.
func wantCargoRefused(t *testing.T, h *harness, reg cargoRegistry, project string) {
	t.Helper()
	for _, tt := range []struct{ name, token, want string }{
		{"no token", "", "no token found for `ca`"},
		{"foreign token", "not-a-codeartifact-token", "config.json`, got 401"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			setCargoEnv(t, h, reg, `credential-provider = "cargo:token"`)
			h.env["CARGO_REGISTRIES_CA_TOKEN"] = tt.token
			before := len(h.fake.Requests())
			r := h.runIn(project, nil, "cargo", "generate-lockfile")
			if r.code == 0 || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("cargo generate-lockfile: want a failure mentioning %q: %s", tt.want, r)
			}
			seen := h.fake.Requests()[before:]
			if len(seen) == 0 {
				t.Error("Cargo never asked the registry")
			}
			for _, req := range seen {
				if req.Op != fake.OpCargo || req.Status != 401 {
					t.Errorf("want only refused registry requests, got %+v", req)
				}
			}
		})
	}
	if n := len(h.fake.IssuedTokens()); n != 1 {
		t.Errorf("the fake issued %d tokens, want still 1", n)
	}
}

// startCargoRegistry serves the harness's fake over TLS on 127.0.0.1.
func startCargoRegistry(t *testing.T, h *harness) cargoRegistry {
	t.Helper()
	srv := httptest.NewTLSServer(h.fake)
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "https://")
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	writeFile(t, caFile, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})))
	return cargoRegistry{host: host, index: "sparse+https://" + host + "/cargo/releases/", caFile: caFile}
}

// cargoFix is what provides a usable Cargo: rustup's, since Debian's cargo
// package predates credential providers (Cargo 1.74).
const cargoFix = "install rustup (https://rustup.rs), then: rustup default stable"

// requireCargo checks that cargo runs, not only that it is on PATH: rustup's
// proxy without a default toolchain is there but cannot run anything.
func requireCargo(t *testing.T) {
	t.Helper()
	testenv.Tool(t, "cargo", cargoFix, "--version")
}

// setCargoEnv gives Cargo a fresh CARGO_HOME whose config.toml names the
// registry "ca" with the given provider line (none: no config.toml), and
// keeps rustup's toolchains reachable although HOME is the harness's.
func setCargoEnv(t *testing.T, h *harness, reg cargoRegistry, provider string) {
	t.Helper()
	home := t.TempDir()
	if provider != "" {
		writeFile(t, filepath.Join(home, "config.toml"), "[registries.ca]\nindex = \""+reg.index+"\"\n"+provider+"\n")
	}
	rustupHome := os.Getenv("RUSTUP_HOME")
	if userHome, err := os.UserHomeDir(); rustupHome == "" && err == nil {
		rustupHome = filepath.Join(userHome, ".rustup")
	}
	for k, v := range map[string]string{
		"CARGO_HOME":         home,
		"RUSTUP_HOME":        rustupHome,
		"RUSTUP_TOOLCHAIN":   os.Getenv("RUSTUP_TOOLCHAIN"),
		"CARGO_HTTP_CAINFO":  reg.caFile,
		"CARGO_NET_RETRY":    "0",
		"CARGO_HTTP_TIMEOUT": "20",
		"CARGO_TERM_COLOR":   "never",
	} {
		h.env[k] = v
	}
}

// cargoProject is a binary crate that depends on hello-crate from "ca" and
// prints the name the dependency's source holds.
func cargoProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "Cargo.toml"), `[package]
name = "app"
version = "0.1.0"
edition = "2021"

[dependencies]
hello-crate = { version = "1", registry = "ca" }
`)
	writeFile(t, filepath.Join(dir, "src", "main.rs"), "fn main() {\n    println!(\"uses {}\", hello_crate::NAME);\n}\n")
	return dir
}

// wantCargoRequests checks what the fake saw from Cargo: config.json first
// without a token and refused with 401, then only requests carrying tok
// (which the fake accepted), among them the index file and the download.
func wantCargoRequests(t *testing.T, reqs []fake.Request, tok string) {
	t.Helper()
	var cargo []fake.Request
	for _, r := range reqs {
		if r.Op == fake.OpCargo {
			cargo = append(cargo, r)
		}
	}
	if len(cargo) == 0 || cargo[0].Path != "/cargo/releases/config.json" || cargo[0].Status != 401 || cargo[0].TokenPrefix != "" {
		t.Fatalf("Cargo did not start with an anonymous config.json refused with 401: %+v", cargo)
	}
	seen := map[string]bool{}
	for _, r := range cargo[1:] {
		if r.TokenPrefix == "" || !strings.HasPrefix(tok, r.TokenPrefix) || r.Status != 200 {
			t.Errorf("request without the issued token, or refused: %+v", r)
		}
		seen[r.Path] = true
	}
	for _, p := range []string{"/cargo/releases/config.json", "/cargo/releases/he/ll/hello-crate", "/cargo/releases/api/v1/crates/hello-crate/1.0.0/download"} {
		if !seen[p] {
			t.Errorf("Cargo never fetched %s with the token: %+v", p, cargo)
		}
	}
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}
