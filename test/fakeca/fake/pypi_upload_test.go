package fake

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// uploadForm is what twine sends for one file, changed by edit.
type uploadForm struct {
	fields   map[string]string
	filename string
	content  []byte
}

func newUploadForm(content []byte) *uploadForm {
	sum := sha256.Sum256(content)
	return &uploadForm{
		fields: map[string]string{
			":action": "file_upload", "protocol_version": "1", "name": "demo-pkg", "version": "0.1.0",
			"filetype": "bdist_wheel", "pyversion": "py3", "metadata_version": "2.1",
			"sha256_digest": hex.EncodeToString(sum[:]),
		},
		filename: "demo_pkg-0.1.0-py3-none-any.whl",
		content:  content,
	}
}

// upload POSTs f to url as multipart/form-data, with auth.
func upload(t *testing.T, url string, f *uploadForm, auth func(*http.Request)) *http.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range f.fields {
		mw.WriteField(k, v)
	}
	if f.filename != "" {
		fw, _ := mw.CreateFormFile("content", f.filename)
		fw.Write(f.content)
	}
	mw.Close()
	return do(t, "POST", url, body.String(), func(r *http.Request) {
		r.Header.Set("Content-Type", mw.FormDataContentType())
		if auth != nil {
			auth(r)
		}
	})
}

func TestPyPIUpload(t *testing.T) {
	for _, endpoint := range []string{"/pypi/releases/", "/pypi/releases"} {
		t.Run(endpoint, func(t *testing.T) {
			s := startServer(t, Options{})
			auth := awsBasic(getToken(t, s))
			content := []byte("not really a wheel")
			f := newUploadForm(content)
			f.fields["name"] = "Demo.Pkg" // recorded under the normalized name
			resp := upload(t, s.URL()+endpoint, f, auth)
			if msg, _ := io.ReadAll(resp.Body); resp.StatusCode != 200 {
				t.Fatalf("upload: %d %s", resp.StatusCode, msg)
			}
			if got := s.PyPIUploaded("releases", "demo_pkg"); !slices.Equal(got, []string{f.filename}) {
				t.Errorf("PyPIUploaded = %q, want the wheel", got)
			}
			reqs := s.Requests()
			if last := reqs[len(reqs)-1]; last.Op != OpPyPIUpload || last.Status != 200 || last.TokenPrefix == "" ||
				s.Calls(OpPyPIUpload) != 1 || s.Calls(OpPyPI) != 0 {
				t.Errorf("request log %+v, calls %d, want one pypi-upload", reqs, s.Calls(OpPyPIUpload))
			}

			page := do(t, "GET", s.URL()+"/pypi/releases/simple/demo-pkg/", "", auth)
			html, _ := io.ReadAll(page.Body)
			links := map[string]string{}
			for _, m := range wheelLink.FindAllSubmatch(html, -1) {
				links[string(m[1])] = string(m[2])
			}
			if len(links) != 2 || links["demo_pkg-1.0.0-py3-none-any.whl"] == "" || links[f.filename] != f.fields["sha256_digest"] {
				t.Fatalf("page does not link the generated and the uploaded wheel:\n%s", html)
			}
			href, _ := page.Request.URL.Parse(f.filename)
			got := do(t, "GET", href.String(), "", auth)
			if body, _ := io.ReadAll(got.Body); got.StatusCode != 200 || !bytes.Equal(body, content) {
				t.Errorf("download: %d %q, want the uploaded bytes", got.StatusCode, body)
			}
			if other := do(t, "GET", s.URL()+"/pypi/other-repo/simple/demo-pkg/", "", auth); other.StatusCode != 200 {
				t.Errorf("other repo page: %d", other.StatusCode)
			} else if html, _ := io.ReadAll(other.Body); strings.Contains(string(html), f.filename) {
				t.Errorf("the upload shows in another repository:\n%s", html)
			}
		})
	}
}

func TestPyPIUploadRefused(t *testing.T) {
	tests := []struct {
		name string
		edit func(f *uploadForm)
		auth func(tok string) func(*http.Request)
		want int
	}{
		{"no auth", func(*uploadForm) {}, func(string) func(*http.Request) { return nil }, 401},
		{"bad token", func(*uploadForm) {}, func(string) func(*http.Request) { return basic("aws", "nope") }, 401},
		{"bad sha256", func(f *uploadForm) { f.fields["sha256_digest"] = strings.Repeat("0", 64) }, awsBasic, 400},
		{"bad md5", func(f *uploadForm) { f.fields["md5_digest"] = strings.Repeat("0", 32) }, awsBasic, 400},
		{"bad action", func(f *uploadForm) { f.fields[":action"] = "submit" }, awsBasic, 400},
		{"no action", func(f *uploadForm) { delete(f.fields, ":action") }, awsBasic, 400},
		{"bad name", func(f *uploadForm) { f.fields["name"] = "demo pkg" }, awsBasic, 400},
		{"no version", func(f *uploadForm) { delete(f.fields, "version") }, awsBasic, 400},
		{"no content", func(f *uploadForm) { f.filename = "" }, awsBasic, 400},
		{"empty content", func(f *uploadForm) { f.content = nil; delete(f.fields, "sha256_digest") }, awsBasic, 400},
		{"wrong prefix", func(f *uploadForm) { f.filename = "other_pkg-0.1.0-py3-none-any.whl" }, awsBasic, 400},
		{"prefix only", func(f *uploadForm) { f.filename = "demo_pkgx-0.1.0-py3-none-any.whl" }, awsBasic, 400},
		{"bad extension", func(f *uploadForm) { f.filename = "demo_pkg-0.1.0.exe" }, awsBasic, 400},
		{"path in name", func(f *uploadForm) { f.filename = "demo_pkg-0.1.0/../x.whl" }, awsBasic, 400},
		{"generated wheel", func(f *uploadForm) { f.filename = "demo_pkg-1.0.0-py3-none-any.whl" }, awsBasic, 409},
		{"too large", func(f *uploadForm) {
			f.content = bytes.Repeat([]byte("x"), maxPyPIUpload)
			delete(f.fields, "sha256_digest")
		}, awsBasic, 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startServer(t, Options{})
			f := newUploadForm([]byte("wheel bytes"))
			tt.edit(f)
			resp := upload(t, s.URL()+"/pypi/releases/", f, tt.auth(getToken(t, s)))
			if resp.StatusCode != tt.want {
				msg, _ := io.ReadAll(resp.Body)
				t.Fatalf("status %d %s, want %d", resp.StatusCode, msg, tt.want)
			}
			if tt.want == 401 && resp.Header.Get("WWW-Authenticate") != `Basic realm="fakeca"` {
				t.Errorf("WWW-Authenticate = %q, want a Basic challenge", resp.Header.Get("WWW-Authenticate"))
			}
			if got := s.PyPIUploaded("releases", "demo-pkg"); len(got) != 0 {
				t.Errorf("PyPIUploaded = %q after a refused upload", got)
			}
			if s.Calls(OpPyPIUpload) != 1 || s.Requests()[1].Status != tt.want {
				t.Errorf("request log %+v, want one pypi-upload answered %d", s.Requests(), tt.want)
			}
		})
	}
}

func TestPyPIUploadTwice(t *testing.T) {
	s := startServer(t, Options{})
	auth := awsBasic(getToken(t, s))
	first := newUploadForm([]byte("first"))
	sdist := newUploadForm([]byte("sdist"))
	sdist.filename, sdist.fields["filetype"] = "demo_pkg-0.1.0.tar.gz", "sdist"
	again := newUploadForm([]byte("second"))
	again.fields["name"] = "demo_pkg"
	for _, step := range []struct {
		f    *uploadForm
		want int
	}{{first, 200}, {sdist, 200}, {again, 409}} {
		if resp := upload(t, s.URL()+"/pypi/releases/", step.f, auth); resp.StatusCode != step.want {
			t.Errorf("upload %s (%q): %d, want %d", step.f.filename, step.f.content, resp.StatusCode, step.want)
		}
	}
	want := []string{"demo_pkg-0.1.0-py3-none-any.whl", "demo_pkg-0.1.0.tar.gz"}
	if got := s.PyPIUploaded("releases", "Demo-Pkg"); !slices.Equal(got, want) {
		t.Errorf("PyPIUploaded = %q, want %q", got, want)
	}
	whl := do(t, "GET", s.URL()+"/pypi/releases/simple/demo-pkg/"+want[0], "", auth)
	if body, _ := io.ReadAll(whl.Body); string(body) != "first" {
		t.Errorf("served %q, want the first upload kept", body)
	}
}

func TestPyPIUploadMethods(t *testing.T) {
	s := startServer(t, Options{})
	auth := awsBasic(getToken(t, s))
	for _, tt := range []struct {
		method, path string
		want         int
		op           string
	}{
		{"GET", "/pypi/releases/", 404, OpPyPI},
		{"PUT", "/pypi/releases/", 405, OpPyPI},
		{"POST", "/pypi/releases/simple/demo-pkg/", 405, OpPyPI},
		{"POST", "/pypi/releases/", 400, OpPyPIUpload}, // not multipart
	} {
		resp := do(t, tt.method, s.URL()+tt.path, "", auth)
		reqs := s.Requests()
		if last := reqs[len(reqs)-1]; resp.StatusCode != tt.want || last.Op != tt.op {
			t.Errorf("%s %s: %d op %q, want %d op %q", tt.method, tt.path, resp.StatusCode, last.Op, tt.want, tt.op)
		}
	}
}
