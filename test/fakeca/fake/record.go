package fake

import (
	"fmt"
	"net/http"
	"time"
)

// logRequest hands one line about a finished request to Options.Logf.
func (s *Server) logRequest(r *http.Request, info *Request, took time.Duration) {
	if s.opts.Logf == nil {
		return
	}
	target := info.Path
	if info.Op == OpGetAuthorizationToken || info.Op == OpGetRepositoryEndpoint {
		target = r.URL.RequestURI() // the API query holds no secret
	}
	line := fmt.Sprintf("%s %s op=%s status=%d took=%s", info.Method, target, info.Op, info.Status, took.Round(time.Microsecond))
	if info.AccessKeyID != "" {
		line += " akid=" + info.AccessKeyID
	}
	if info.TokenPrefix != "" {
		line += " token=" + info.TokenPrefix + "…"
	}
	s.opts.Logf("%s", line)
}

// statusRecorder remembers the status a handler answered with.
type statusRecorder struct {
	http.ResponseWriter
	status   int
	wrote    bool
	noAnswer bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if !r.wrote {
		r.status, r.wrote = http.StatusOK, true
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *statusRecorder) result() int {
	switch {
	case r.noAnswer:
		return 0
	case !r.wrote:
		return http.StatusOK
	}
	return r.status
}

// markNoAnswer records that the handler deliberately sent nothing.
func markNoAnswer(w http.ResponseWriter) {
	if rec, ok := w.(*statusRecorder); ok {
		rec.noAnswer = true
	}
}
