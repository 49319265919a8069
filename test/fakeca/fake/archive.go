package fake

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"net/http"
	"time"
)

// archiveFile is one regular file of a generated package archive.
type archiveFile struct{ name, body string }

// archiveMTime is the modification time of every generated file, so that
// the same files always pack to the same bytes and checksums hold.
var archiveMTime = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// tarGz packs files into a gzipped tar (npm tarballs, Cargo .crate files).
func tarGz(files []archiveFile) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, f := range files {
		tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.body)), ModTime: archiveMTime,
			Typeflag: tar.TypeReg, Format: tar.FormatUSTAR}) // in memory
		tw.Write([]byte(f.body)) // in memory
	}
	tw.Close() // in memory
	zw.Close() // in memory
	return buf.Bytes()
}

// answerJSON answers v as JSON with status (package-format routes; the API
// routes use writeJSON).
func answerJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v) // the client may be gone
}

// basicAuthOK checks HTTP Basic aws:TOKEN with a token the fake issued and
// that is still valid, as CodeArtifact's Maven and PyPI endpoints do, and
// answers 401 with a Basic challenge when it is not.
func (s *Server) basicAuthOK(w http.ResponseWriter, r *http.Request, info *Request) bool {
	user, tok, ok := r.BasicAuth()
	if ok {
		info.TokenPrefix = tokenPrefix(tok)
	}
	if ok && user == "aws" && s.ValidToken(tok) {
		return true
	}
	w.Header().Set("WWW-Authenticate", `Basic realm="fakeca"`)
	http.Error(w, "unauthorized: send Basic credentials aws:TOKEN with a valid token", http.StatusUnauthorized)
	return false
}
