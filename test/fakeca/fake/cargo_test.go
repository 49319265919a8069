package fake

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

func cargoAuth(tok string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set("Authorization", tok) }
}

func TestCargoAuth(t *testing.T) {
	s := startServer(t, Options{})
	tok := getToken(t, s)
	tests := []struct {
		name, path string
		auth       func(*http.Request)
		want       int
	}{
		{"config without token", "config.json", nil, 401},
		{"index without token", "3/f/foo", nil, 401},
		{"download without token", "api/v1/crates/foo/1.0.0/download", nil, 401},
		{"unknown token", "config.json", cargoAuth("nope"), 401},
		{"bearer scheme", "config.json", bearer(tok), 401}, // Cargo sends the token bare
		{"config", "config.json", cargoAuth(tok), 200},
		{"index", "3/f/foo", cargoAuth(tok), 200},
		{"index at the wrong path", "3/g/foo", cargoAuth(tok), 404},
		{"upper-case index path", "3/f/Foo", cargoAuth(tok), 404},
		{"bad crate name", "1/_", cargoAuth(tok), 404},
		{"download of another version", "api/v1/crates/foo/2.0.0/download", cargoAuth(tok), 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := do(t, "GET", s.URL()+"/cargo/releases/"+tt.path, "", tt.auth)
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
			challenge := resp.Header.Get("WWW-Authenticate")
			if tt.want == 401 && challenge != `Cargo login_url="`+s.URL()+`/cargo/releases/me"` {
				t.Errorf("WWW-Authenticate %q, want a Cargo challenge", challenge)
			}
		})
	}
	if s.Calls(OpCargo) != len(tests) {
		t.Errorf("Calls(cargo) = %d, want %d", s.Calls(OpCargo), len(tests))
	}
}

func TestCargoConfigAndIndex(t *testing.T) {
	s := startServer(t, Options{})
	auth := cargoAuth(getToken(t, s))
	var cfg struct {
		DL           string `json:"dl"`
		API          string `json:"api"`
		AuthRequired bool   `json:"auth-required"`
	}
	decodeOK(t, do(t, "GET", s.URL()+"/cargo/releases/config.json", "", auth), &cfg)
	base := s.URL() + "/cargo/releases"
	if cfg.DL != base+"/api/v1/crates" || cfg.API != base || !cfg.AuthRequired {
		t.Fatalf("config.json %+v", cfg)
	}
	for _, tt := range []struct{ name, index string }{
		{"a", "1/a"}, {"ab", "2/ab"}, {"abc", "3/a/abc"}, {"hello-crate", "he/ll/hello-crate"}, {"a_b1", "a_/b1/a_b1"},
	} {
		var entry cargoIndexEntry
		decodeOK(t, do(t, "GET", base+"/"+tt.index, "", auth), &entry)
		if entry.Name != tt.name || entry.Vers != "1.0.0" || entry.Deps == nil || entry.Yanked {
			t.Errorf("%s: index line %+v", tt.index, entry)
		}
		resp := do(t, "GET", cfg.DL+"/"+tt.name+"/1.0.0/download", "", auth)
		body, _ := io.ReadAll(resp.Body)
		sum := sha256.Sum256(body)
		if resp.StatusCode != 200 || hex.EncodeToString(sum[:]) != entry.Cksum {
			t.Errorf("%s: download status %d, sha256 %x, want %s", tt.name, resp.StatusCode, sum, entry.Cksum)
		}
		if files := crateFiles(t, body); files != tt.name+"-1.0.0/Cargo.toml "+tt.name+"-1.0.0/src/lib.rs" {
			t.Errorf("%s: .crate holds %s", tt.name, files)
		}
	}
}

func decodeOK(t *testing.T, resp *http.Response, v any) {
	t.Helper()
	if resp.StatusCode != 200 {
		t.Fatalf("%s: status %d", resp.Request.URL, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("%s: %v", resp.Request.URL, err)
	}
}

// crateFiles lists the file names in a .crate, space-separated.
func crateFiles(t *testing.T, crate []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(strings.NewReader(string(crate)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return strings.Join(names, " ")
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
	}
}
