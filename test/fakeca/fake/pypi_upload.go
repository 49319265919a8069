package fake

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"regexp"
	"slices"
	"strings"
)

// maxPyPIUpload bounds the multipart body of one PyPI upload.
const maxPyPIUpload = 10 << 20

// pypiFilePattern is an uploaded file name the fake accepts: a plain name
// that needs no escaping in the project page.
var pypiFilePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._+!-]*$`)

// pypiFile is one file uploaded to a project.
type pypiFile struct {
	name   string
	sha256 string // hex
	data   []byte
}

// pypiUploadPath reports whether p is a PyPI repository endpoint,
// /pypi/REPO/ or /pypi/REPO, where the legacy upload API is posted to.
func pypiUploadPath(p string) bool {
	repo, ok := strings.CutPrefix(p, "/pypi/")
	return ok && repoPattern.MatchString(strings.TrimSuffix(repo, "/"))
}

// handlePyPIUpload answers POST /pypi/REPO/, the legacy PyPI upload API
// (":action=file_upload") that twine, uv publish and poetry publish use,
// to Basic aws:TOKEN. The file is kept in memory; PyPIUploaded lists it,
// the project's simple page links it and serves its bytes.
func (s *Server) handlePyPIUpload(w http.ResponseWriter, r *http.Request, info *Request) {
	if !s.basicAuthOK(w, r, info) {
		return
	}
	repo := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/pypi/"), "/")
	form, status, msg := readUploadForm(r)
	if form != nil {
		defer form.RemoveAll()
	}
	if status != 0 {
		http.Error(w, msg, status)
		return
	}
	name, file, status, msg := checkUpload(form)
	if status != 0 {
		http.Error(w, msg, status)
		return
	}
	project := normalizeProject(name)
	key := repo + "/" + project
	s.mu.Lock()
	if s.pypiUploads == nil {
		s.pypiUploads = map[string][]pypiFile{}
	}
	// The generated wheel counts as uploaded: a file of the same name
	// would never be served.
	if file.name == wheelName(project) || slices.ContainsFunc(s.pypiUploads[key], func(f pypiFile) bool { return f.name == file.name }) {
		s.mu.Unlock()
		http.Error(w, "file already exists: "+file.name, http.StatusConflict)
		return
	}
	s.pypiUploads[key] = append(s.pypiUploads[key], file)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "ok\n") // the client may be gone
}

// readUploadForm reads the multipart body of an upload, all of it in
// memory; a non-zero status is the answer when it cannot.
func readUploadForm(r *http.Request) (*multipart.Form, int, string) {
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" {
		return nil, http.StatusBadRequest, "want a multipart/form-data upload"
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxPyPIUpload+1))
	switch {
	case err != nil:
		return nil, http.StatusBadRequest, "read upload: " + err.Error()
	case len(body) > maxPyPIUpload:
		return nil, http.StatusRequestEntityTooLarge, "upload too large"
	}
	// A limit above the body keeps every part in memory.
	form, err := multipart.NewReader(bytes.NewReader(body), params["boundary"]).ReadForm(2 * maxPyPIUpload)
	if err != nil {
		return nil, http.StatusBadRequest, "bad multipart body: " + err.Error()
	}
	return form, 0, ""
}

// checkUpload validates the fields of an upload form, as PyPI does the
// ones that matter here, and returns the project name and the file.
func checkUpload(form *multipart.Form) (name string, file pypiFile, status int, msg string) {
	field := func(k string) string {
		if v := form.Value[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	name = field("name")
	parts := form.File["content"]
	switch {
	case field(":action") != "file_upload":
		return "", file, http.StatusBadRequest, "unsupported :action " + field(":action") + ", want file_upload"
	case !pypiNamePattern.MatchString(name):
		return "", file, http.StatusBadRequest, "invalid project name " + name
	case field("version") == "":
		return "", file, http.StatusBadRequest, "missing version"
	case len(parts) != 1:
		return "", file, http.StatusBadRequest, "want one file in the content field"
	}
	file.name = parts[0].Filename
	lower := strings.ToLower(file.name)
	project := normalizeProject(name)
	switch {
	case !pypiFilePattern.MatchString(file.name):
		return "", file, http.StatusBadRequest, "invalid file name " + file.name
	case !strings.HasPrefix(lower, wheelPrefix(project)+"-") && !strings.HasPrefix(lower, project+"-"):
		return "", file, http.StatusBadRequest, "file name " + file.name + " does not start with " + wheelPrefix(project) + "-"
	case !strings.HasSuffix(lower, ".whl") && !strings.HasSuffix(lower, ".tar.gz") && !strings.HasSuffix(lower, ".zip"):
		return "", file, http.StatusBadRequest, "file name " + file.name + " is no .whl, .tar.gz or .zip"
	}
	f, err := parts[0].Open()
	if err != nil {
		return "", file, http.StatusBadRequest, "read content: " + err.Error()
	}
	file.data, err = io.ReadAll(f)
	f.Close()
	if err != nil {
		return "", file, http.StatusBadRequest, "read content: " + err.Error()
	}
	sum, md := sha256.Sum256(file.data), md5.Sum(file.data)
	file.sha256 = hex.EncodeToString(sum[:])
	switch {
	case len(file.data) == 0:
		return "", file, http.StatusBadRequest, "empty content"
	case field("sha256_digest") != "" && !strings.EqualFold(field("sha256_digest"), file.sha256):
		return "", file, http.StatusBadRequest, "sha256_digest does not match the content"
	case field("md5_digest") != "" && !strings.EqualFold(field("md5_digest"), hex.EncodeToString(md[:])):
		return "", file, http.StatusBadRequest, "md5_digest does not match the content"
	}
	return name, file, 0, ""
}

// uploadedFiles is a copy of the files uploaded to project in repo, oldest first.
func (s *Server) uploadedFiles(repo, project string) []pypiFile {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.pypiUploads[repo+"/"+project])
}

// PyPIUploaded lists the names of the files uploaded to project (any
// spelling; it is normalized) in repo, oldest first.
func (s *Server) PyPIUploaded(repo, project string) []string {
	var names []string
	for _, f := range s.uploadedFiles(repo, normalizeProject(project)) {
		names = append(names, f.name)
	}
	return names
}
