package fake

import (
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strings"
	"time"
)

// maxUpload caps the body of a PUT to a repository.
const maxUpload = 100 << 20

// errBadPath marks a repository path that tries to leave its repository.
var errBadPath = errors.New("bad repository path")

// handleMaven serves /maven/REPO/<path>: GET and HEAD read the store, then
// the upstream; PUT writes the store. Every method needs Basic aws:TOKEN.
func (s *Server) handleMaven(w http.ResponseWriter, r *http.Request, info *Request) {
	repo, rel, err := splitRepoPath(strings.TrimPrefix(r.URL.Path, "/maven/"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if !s.basicAuthOK(w, r, info) {
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		s.serveArtifact(w, r, repo, rel)
	case http.MethodPut:
		s.storeArtifact(w, r, repo, rel)
	default:
		w.Header().Set("Allow", "GET, HEAD, PUT")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// splitRepoPath splits "REPO/a/b/c" into the repository name and a relative
// slash path, refusing anything that could name a file outside the
// repository: "..", ".", empty segments, backslashes and NUL.
func splitRepoPath(p string) (repo, rel string, err error) {
	repo, rel, _ = strings.Cut(p, "/")
	if !repoPattern.MatchString(repo) {
		return "", "", errors.New("bad repository name")
	}
	if rel == "" || strings.ContainsAny(rel, "\x00\\") {
		return "", "", errBadPath
	}
	for seg := range strings.SplitSeq(rel, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return "", "", errBadPath
		}
	}
	return repo, rel, nil
}

func (s *Server) serveArtifact(w http.ResponseWriter, r *http.Request, repo, rel string) {
	f, err := s.openArtifact(repo, rel)
	if errors.Is(err, fs.ErrNotExist) {
		if sum, ok := s.computedChecksum(repo, rel); ok {
			w.Header().Set("Content-Type", "text/plain")
			http.ServeContent(w, r, path.Base(rel), time.Time{}, strings.NewReader(sum))
			return
		}
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	http.ServeContent(w, r, path.Base(rel), st.ModTime(), f)
}

func (s *Server) storeArtifact(w http.ResponseWriter, r *http.Request, repo, rel string) {
	body := http.MaxBytesReader(w, r.Body, maxUpload)
	err := writeFileAtomic(s.storePath(repo, rel), body)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		http.Error(w, "upload exceeds 100 MiB", http.StatusRequestEntityTooLarge)
	case err != nil:
		http.Error(w, err.Error(), http.StatusInternalServerError)
	default:
		w.WriteHeader(http.StatusCreated)
	}
}

// openArtifact opens a repository file from the store, or else copies it
// from the upstream into the store first. Missing files are fs.ErrNotExist.
func (s *Server) openArtifact(repo, rel string) (*os.File, error) {
	stored := s.storePath(repo, rel)
	if f, err := openRegular(stored); !errors.Is(err, fs.ErrNotExist) {
		return f, err
	}
	if s.opts.UpstreamDir == "" {
		return nil, fs.ErrNotExist
	}
	// One copy at a time, so concurrent misses copy a file once.
	s.copyMu.Lock()
	defer s.copyMu.Unlock()
	if f, err := openRegular(stored); !errors.Is(err, fs.ErrNotExist) {
		return f, err
	}
	src, err := openRegular(s.upstreamPath(rel))
	if err != nil {
		return nil, err
	}
	err = writeFileAtomic(stored, src)
	src.Close()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.upstreamd = append(s.upstreamd, repo+"/"+rel)
	s.mu.Unlock()
	return openRegular(stored)
}

// FetchedFromUpstream lists "REPO/path" for every file copied from the
// upstream into the store, in order.
func (s *Server) FetchedFromUpstream() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.upstreamd...)
}
