package fake

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"slices"
)

// maxNPMPublish bounds the body of an npm publish: a packument with the
// tarball in base64.
const maxNPMPublish = 10 << 20

// npmPublishDoc is the part of the document `npm publish` PUTs that the
// fake checks: one version and its tarball.
type npmPublishDoc struct {
	Name        string                     `json:"name"`
	Versions    map[string]json.RawMessage `json:"versions"`
	Attachments map[string]struct {
		Data string `json:"data"`
	} `json:"_attachments"`
}

// handleNPMPublish answers PUT /npm/REPO/<package>, what `npm publish`
// sends, after handleNPM checked the token: one version with its tarball
// is kept, and NPMPublished lists it.
func (s *Server) handleNPMPublish(w http.ResponseWriter, r *http.Request, repo, pkg string) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxNPMPublish+1))
	var doc npmPublishDoc
	switch {
	case err != nil || len(body) > maxNPMPublish:
		writeNPMError(w, http.StatusRequestEntityTooLarge, "publish body too large")
		return
	case json.Unmarshal(body, &doc) != nil || doc.Name != pkg || len(doc.Versions) != 1 || len(doc.Attachments) != 1:
		writeNPMError(w, http.StatusBadRequest, "want a packument for "+pkg+" with one version and its tarball")
		return
	}
	for _, a := range doc.Attachments {
		if _, err := base64.StdEncoding.DecodeString(a.Data); err != nil || a.Data == "" {
			writeNPMError(w, http.StatusBadRequest, "tarball is not base64")
			return
		}
	}
	s.mu.Lock()
	if s.npmPublished == nil {
		s.npmPublished = map[string][]string{}
	}
	for v := range doc.Versions {
		key := repo + "/" + pkg
		if slices.Contains(s.npmPublished[key], v) {
			s.mu.Unlock()
			writeNPMError(w, http.StatusConflict, "cannot publish over the previously published version "+v)
			return
		}
		s.npmPublished[key] = append(s.npmPublished[key], v)
	}
	s.mu.Unlock()
	answerJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

// NPMPublished lists the versions of pkg published to repo with npm publish.
func (s *Server) NPMPublished(repo, pkg string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.npmPublished[repo+"/"+pkg])
}
