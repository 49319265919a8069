package fake

import (
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const pomPath = "org/example/lib/1.0/lib-1.0.pom"

// upstreamTree makes a small Maven tree whose jar is a symlink leading out
// of the tree, as in Debian's /usr/share/maven-repo.
func upstreamTree(t *testing.T) string {
	t.Helper()
	root, outside := t.TempDir(), t.TempDir()
	dir := filepath.Join(root, "org/example/lib/1.0")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "lib-1.0.pom"), []byte("<project/>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "lib.jar"), []byte("jar bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "lib.jar"), filepath.Join(dir, "lib-1.0.jar")); err != nil {
		t.Fatal(err)
	}
	return root
}

func TestMavenAuth(t *testing.T) {
	tests := []struct {
		name string
		auth func(s *Server, tok string) func(*http.Request)
		want int
	}{
		{"no credentials", func(*Server, string) func(*http.Request) { return nil }, 401},
		{"wrong user", func(_ *Server, tok string) func(*http.Request) { return basic("admin", tok) }, 401},
		{"unknown token", func(*Server, string) func(*http.Request) { return basic("aws", "eyJ2ZXIiOjEsImlzdSI6forged") }, 401},
		{"bearer", func(_ *Server, tok string) func(*http.Request) { return bearer(tok) }, 401},
		{"expired token", func(s *Server, tok string) func(*http.Request) { s.ExpireTokens(); return basic("aws", tok) }, 401},
		{"valid token", func(_ *Server, tok string) func(*http.Request) { return basic("aws", tok) }, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startServer(t, Options{UpstreamDir: upstreamTree(t)})
			tok := getToken(t, s)
			resp := do(t, http.MethodGet, s.URL()+"/maven/releases/"+pomPath, "", tt.auth(s, tok))
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
			if challenge := resp.Header.Get("WWW-Authenticate"); tt.want == 401 && challenge != `Basic realm="fakeca"` {
				t.Errorf("WWW-Authenticate = %q, want a Basic challenge", challenge)
			}
			last := s.Requests()[len(s.Requests())-1]
			if last.Op != OpMaven || last.Status != tt.want || len(last.TokenPrefix) > 6 || (tt.want == 200 && last.TokenPrefix != tok[:6]) {
				t.Errorf("logged %+v", last)
			}
		})
	}
}

func TestMavenReads(t *testing.T) {
	pomSHA1, pomMD5 := sha1.Sum([]byte("<project/>")), md5.Sum([]byte("<project/>"))
	tests := []struct {
		name, method, path string
		want               int
		body               string
	}{
		{"pom from upstream", "GET", pomPath, 200, "<project/>"},
		{"jar through symlink", "GET", "org/example/lib/1.0/lib-1.0.jar", 200, "jar bytes"},
		{"computed sha1", "GET", pomPath + ".sha1", 200, hex.EncodeToString(pomSHA1[:])},
		{"computed md5", "GET", pomPath + ".md5", 200, hex.EncodeToString(pomMD5[:])},
		{"head", "HEAD", pomPath, 200, ""},
		{"missing", "GET", "org/example/lib/2.0/lib-2.0.pom", 404, "404 page not found\n"},
		{"missing checksum", "GET", "org/example/lib/2.0/lib-2.0.pom.sha1", 404, "404 page not found\n"},
		{"directory", "GET", "org/example/lib/1.0", 404, "404 page not found\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startServer(t, Options{UpstreamDir: upstreamTree(t)})
			resp := do(t, tt.method, s.URL()+"/maven/releases/"+tt.path, "", basic("aws", getToken(t, s)))
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.want || string(body) != tt.body {
				t.Fatalf("got %d %q, want %d %q", resp.StatusCode, body, tt.want, tt.body)
			}
			if tt.method == "HEAD" && resp.ContentLength != int64(len("<project/>")) {
				t.Errorf("HEAD Content-Length = %d", resp.ContentLength)
			}
			if tt.want != 200 {
				return
			}
			copied := strings.TrimSuffix(strings.TrimSuffix(tt.path, ".sha1"), ".md5")
			if got, err := os.ReadFile(filepath.Join(s.StoreDir(), "releases", copied)); err != nil || !slices.Contains(s.FetchedFromUpstream(), "releases/"+copied) {
				t.Errorf("upstream file not copied into the store (%q, %v; fetched %v)", got, err, s.FetchedFromUpstream())
			}
		})
	}
}

func TestMavenStoreWinsOverUpstream(t *testing.T) {
	up := upstreamTree(t)
	s := startServer(t, Options{UpstreamDir: up})
	auth := basic("aws", getToken(t, s))
	do(t, "GET", s.URL()+"/maven/releases/"+pomPath, "", auth)
	if err := os.RemoveAll(filepath.Join(up, "org")); err != nil {
		t.Fatal(err)
	}
	resp := do(t, "GET", s.URL()+"/maven/releases/"+pomPath, "", auth)
	if body, _ := io.ReadAll(resp.Body); resp.StatusCode != 200 || string(body) != "<project/>" {
		t.Errorf("stored copy not served: %d %q", resp.StatusCode, body)
	}
	if n := len(s.FetchedFromUpstream()); n != 1 {
		t.Errorf("fetched from upstream %d times, want 1", n)
	}
}

func TestMavenPutThenGet(t *testing.T) {
	tests := []struct{ path, body string }{
		{"com/acme/app/1.0/app-1.0.jar", "built jar"},
		{"com/acme/app/1.0/app-1.0.jar.sha1", "0123456789abcdef0123456789abcdef01234567"},
		{"com/acme/app/maven-metadata.xml", "<metadata><versioning><latest>1.0</latest></versioning></metadata>"},
		{"com/acme/app/1.0-SNAPSHOT/app-1.0-20240101.000000-1.pom", "<project/>"},
	}
	s := startServer(t, Options{StoreDir: t.TempDir()})
	auth := basic("aws", getToken(t, s))
	for _, tt := range tests {
		t.Run(path.Base(tt.path), func(t *testing.T) {
			if resp := do(t, "PUT", s.URL()+"/maven/snapshots/"+tt.path, tt.body, auth); resp.StatusCode != 201 {
				t.Fatalf("PUT status %d, want 201", resp.StatusCode)
			}
			resp := do(t, "GET", s.URL()+"/maven/snapshots/"+tt.path, "", auth)
			if body, _ := io.ReadAll(resp.Body); resp.StatusCode != 200 || string(body) != tt.body {
				t.Errorf("GET after PUT: %d %q", resp.StatusCode, body)
			}
			if _, err := os.Stat(filepath.Join(s.StoreDir(), "snapshots", tt.path)); err != nil {
				t.Errorf("upload not in the store: %v", err)
			}
		})
	}
	if resp := do(t, "PUT", s.URL()+"/maven/snapshots/x/y.jar", "no auth", nil); resp.StatusCode != 401 {
		t.Errorf("PUT without credentials: %d, want 401", resp.StatusCode)
	}
}

// rawStatus sends a request line as is, which net/http's client would not.
func rawStatus(t *testing.T, s *Server, method, target, auth string) string {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL(), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, method+" "+target+" HTTP/1.1\r\nHost: x\r\nAuthorization: "+auth+"\r\nContent-Length: 4\r\nConnection: close\r\n\r\nevil")
	line, _ := io.ReadAll(io.LimitReader(conn, 12))
	return string(line)
}

func TestMavenRejectsTraversal(t *testing.T) {
	targets := []string{
		"/maven/releases/../secret.txt",
		"/maven/releases/org/../../secret.txt",
		"/maven/releases/org/%2e%2e/%2e%2e/secret.txt",
		"/maven/releases//etc/passwd",
		"/maven/releases/org/./x.jar",
		"/maven/releases/a%00b.jar",
		"/maven/releases/..%5c..%5csecret.txt",
		"/maven/../secret.txt",
		"/maven/releases/",
	}
	store := t.TempDir()
	s := startServer(t, Options{StoreDir: filepath.Join(store, "inner")})
	req, _ := http.NewRequest("GET", "/", nil)
	basic("aws", getToken(t, s))(req)
	for _, target := range targets {
		for _, method := range []string{"GET", "PUT"} {
			if got := rawStatus(t, s, method, target, req.Header.Get("Authorization")); got != "HTTP/1.1 400" {
				t.Errorf("%s %s: %q, want HTTP/1.1 400", method, target, got)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(store, "secret.txt")); err == nil {
		t.Error("a PUT escaped the store")
	}
}

func FuzzSplitRepoPath(f *testing.F) {
	for _, p := range []string{"releases/" + pomPath, "r/../x", "rr//x", "rr/a\\b", "rr/%00"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		repo, rel, err := splitRepoPath(p)
		if err != nil {
			return
		}
		if !filepath.IsLocal(filepath.Join(repo, filepath.FromSlash(rel))) || path.Clean(rel) != rel || strings.HasPrefix(rel, "/") {
			t.Errorf("accepted %q as %q + %q", p, repo, rel)
		}
	})
}
