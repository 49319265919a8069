package fake

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestNPMPackument(t *testing.T) {
	tests := []struct {
		name, pkg, wantName string
		auth                func(tok string) func(*http.Request)
		want                int
	}{
		{"bearer", "left-pad", "left-pad", bearer, 200},
		{"basic", "left-pad", "left-pad", func(tok string) func(*http.Request) { return basic("aws", tok) }, 200},
		{"scoped", "@acme%2fwidget", "@acme/widget", bearer, 200},
		{"no auth", "left-pad", "", func(string) func(*http.Request) { return nil }, 401},
		{"bad token", "left-pad", "", func(string) func(*http.Request) { return bearer("nope") }, 401},
		{"bad name", "Left Pad", "", bearer, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startServer(t, Options{})
			auth := tt.auth(getToken(t, s))
			resp := do(t, "GET", s.URL()+"/npm/npm-store/"+tt.pkg, "", auth)
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
			if tt.want != 200 {
				return
			}
			var doc struct {
				Name     string            `json:"name"`
				DistTags map[string]string `json:"dist-tags"`
				Versions map[string]struct {
					Dist struct{ Tarball, Shasum string }
				}
			}
			if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
				t.Fatal(err)
			}
			dist := doc.Versions[doc.DistTags["latest"]].Dist
			if doc.Name != tt.wantName || !strings.HasPrefix(dist.Tarball, s.URL()+"/npm/npm-store/") {
				t.Fatalf("packument %+v", doc)
			}
			tgz := do(t, "GET", dist.Tarball, "", auth)
			body, _ := io.ReadAll(tgz.Body)
			sum := sha1.Sum(body)
			if tgz.StatusCode != 200 || hex.EncodeToString(sum[:]) != dist.Shasum {
				t.Errorf("tarball: status %d, sha1 %x, want %s", tgz.StatusCode, sum, dist.Shasum)
			}
			if s.Calls(OpNPM) != 2 {
				t.Errorf("Calls(npm) = %d, want 2", s.Calls(OpNPM))
			}
		})
	}
}

func TestNPMRegistryCalls(t *testing.T) {
	s := startServer(t, Options{})
	auth := bearer(getToken(t, s))
	tests := []struct {
		method, path string
		want         int
		body         string
	}{
		{"GET", "-/whoami", 200, `{"username":"aws"}`},
		{"POST", "-/npm/v1/security/advisories/bulk", 200, `{}`},
		{"POST", "left-pad", 405, `{"error":"method not allowed"}`},
	}
	for _, tt := range tests {
		resp := do(t, tt.method, s.URL()+"/npm/npm-store/"+tt.path, "{}", auth)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != tt.want || strings.TrimSpace(string(body)) != tt.body {
			t.Errorf("%s %s: %d %s, want %d %s", tt.method, tt.path, resp.StatusCode, body, tt.want, tt.body)
		}
	}
}

func TestNPMPublish(t *testing.T) {
	s := startServer(t, Options{})
	tok := getToken(t, s)
	doc := func(name, version string) string {
		return `{"name":"` + name + `","versions":{"` + version + `":{"name":"` + name + `"}},"_attachments":{"` + name + `-` + version + `.tgz":{"data":"aGVsbG8="}}}`
	}
	tests := []struct {
		name, pkg, body string
		auth            func(*http.Request)
		want            int
	}{
		{"no token", "demo-pkg", doc("demo-pkg", "1.0.0"), nil, 401},
		{"published", "demo-pkg", doc("demo-pkg", "1.0.0"), bearer(tok), 200},
		{"same version again", "demo-pkg", doc("demo-pkg", "1.0.0"), bearer(tok), 409},
		{"name differs from the path", "demo-pkg", doc("other", "2.0.0"), bearer(tok), 400},
		{"scoped", "@acme%2fwidget", doc("@acme/widget", "1.0.0"), bearer(tok), 200},
		{"not json", "demo-pkg", "x", bearer(tok), 400},
	}
	for _, tt := range tests {
		if resp := do(t, "PUT", s.URL()+"/npm/releases/"+tt.pkg, tt.body, tt.auth); resp.StatusCode != tt.want {
			t.Errorf("%s: status %d, want %d", tt.name, resp.StatusCode, tt.want)
		}
	}
	if got := s.NPMPublished("releases", "demo-pkg"); len(got) != 1 || got[0] != "1.0.0" {
		t.Errorf("published %v, want [1.0.0]", got)
	}
	if got := s.NPMPublished("releases", "@acme/widget"); len(got) != 1 {
		t.Errorf("scoped published %v", got)
	}
}
