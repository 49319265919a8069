package fake

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

var wheelLink = regexp.MustCompile(`<a href="([^"#]+)#sha256=([0-9a-f]{64})">`)

func TestPyPISimplePage(t *testing.T) {
	tests := []struct {
		name, path string
		auth       func(tok string) func(*http.Request)
		want       int
		wantPath   string // where the page ended up, after redirects
	}{
		{"basic", "hello-pkg/", awsBasic, 200, "hello-pkg/"},
		{"not normalized", "Hello_Pkg/", awsBasic, 200, "hello-pkg/"},
		{"no slash", "hello-pkg", awsBasic, 200, "hello-pkg/"},
		{"no auth", "hello-pkg/", func(string) func(*http.Request) { return nil }, 401, ""},
		{"bad token", "hello-pkg/", func(string) func(*http.Request) { return basic("aws", "nope") }, 401, ""},
		{"other user", "hello-pkg/", func(tok string) func(*http.Request) { return basic("bob", tok) }, 401, ""},
		{"bearer", "hello-pkg/", bearer, 401, ""},
		{"bad name", "hello%20pkg/", awsBasic, 404, ""},
		{"bad file", "hello-pkg/other-1.0.0-py3-none-any.whl", awsBasic, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startServer(t, Options{})
			auth := tt.auth(getToken(t, s))
			resp := do(t, "GET", s.URL()+"/pypi/releases/simple/"+tt.path, "", auth)
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
			if tt.want == 401 {
				if c := resp.Header.Get("WWW-Authenticate"); c != `Basic realm="fakeca"` {
					t.Errorf("WWW-Authenticate = %q, want a Basic challenge", c)
				}
				if s.Requests()[1].Op != OpPyPI {
					t.Errorf("request log %+v, want a pypi request", s.Requests())
				}
			}
			if tt.want != 200 {
				return
			}
			if got := resp.Request.URL.Path; got != "/pypi/releases/simple/"+tt.wantPath {
				t.Errorf("page at %s, want …/%s", got, tt.wantPath)
			}
			checkWheel(t, resp, auth)
		})
	}
}

// checkWheel follows the one link on the project page in resp and checks
// the wheel behind it: its sha256, and METADATA naming hello-pkg.
func checkWheel(t *testing.T, resp *http.Response, auth func(*http.Request)) {
	t.Helper()
	page, _ := io.ReadAll(resp.Body)
	m := wheelLink.FindAllSubmatch(page, -1)
	if len(m) != 1 || string(m[0][1]) != "hello_pkg-1.0.0-py3-none-any.whl" {
		t.Fatalf("page does not link one wheel:\n%s", page)
	}
	href, _ := resp.Request.URL.Parse(string(m[0][1]))
	whl := do(t, "GET", href.String(), "", auth)
	body, _ := io.ReadAll(whl.Body)
	sum := sha256.Sum256(body)
	if whl.StatusCode != 200 || hex.EncodeToString(sum[:]) != string(m[0][2]) {
		t.Fatalf("wheel: status %d, sha256 %x, want %s", whl.StatusCode, sum, m[0][2])
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("wheel is not a zip: %v", err)
	}
	files := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("open %s: %v", f.Name, err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("read %s: %v", f.Name, err)
		}
		files[f.Name] = string(data)
	}
	distInfo := "hello_pkg-1.0.0.dist-info/"
	if !strings.Contains(files[distInfo+"METADATA"], "\nName: hello-pkg\n") ||
		!strings.Contains(files[distInfo+"WHEEL"], "Tag: py3-none-any\n") ||
		!strings.Contains(files[distInfo+"RECORD"], "hello_pkg.py,sha256=") ||
		files["hello_pkg.py"] == "" {
		t.Errorf("wheel files %q", files)
	}
}

func TestPyPIWheelIsDeterministic(t *testing.T) {
	if !bytes.Equal(pypiWheel("hello-pkg"), pypiWheel("hello-pkg")) {
		t.Fatal("two builds of the same wheel differ")
	}
}

func TestPyPIMethodsAndPaths(t *testing.T) {
	s := startServer(t, Options{})
	auth := awsBasic(getToken(t, s))
	tests := []struct {
		method, path string
		want         int
	}{
		{"HEAD", "simple/hello-pkg/hello_pkg-1.0.0-py3-none-any.whl", 200},
		{"POST", "simple/hello-pkg/", 405},
		{"GET", "hello-pkg/", 404},
		{"GET", "simple/hello-pkg/a/b", 404},
		{"GET", "simple/hello_pkg/hello_pkg-1.0.0-py3-none-any.whl", 404},
	}
	for _, tt := range tests {
		resp := do(t, tt.method, s.URL()+"/pypi/releases/"+tt.path, "", auth)
		if resp.StatusCode != tt.want {
			t.Errorf("%s %s: %d, want %d", tt.method, tt.path, resp.StatusCode, tt.want)
		}
	}
}

func awsBasic(tok string) func(*http.Request) { return basic("aws", tok) }
