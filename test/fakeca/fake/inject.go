package fake

import (
	"net/http"
	"time"
)

// injectFault answers r as fault f demands and reports whether the request
// is done; false means the handler goes on (perhaps after a delay) and
// bends its own answer for the token-shaping kinds.
func (s *Server) injectFault(w http.ResponseWriter, r *http.Request, f Fault) bool {
	switch f.Kind {
	case AccessDenied:
		msg := "User: arn:aws:iam::" + DefaultOwner + ":user/fake is not authorized to perform: codeartifact:" + opOf(r) + " because no identity-based policy allows the codeartifact:" + opOf(r) + " action"
		if f.Message != "" {
			msg = f.Message
		}
		writeAPIError(w, http.StatusForbidden, "AccessDeniedException", msg)
	case NotFound:
		writeNotFound(w, "domain", r.URL.Query().Get("domain"))
	case Validation:
		writeAPIError(w, http.StatusBadRequest, "ValidationException", "injected validation error")
	case Throttle:
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		writeAPIError(w, http.StatusTooManyRequests, "ThrottlingException", "Rate exceeded")
	case ServerError:
		writeAPIError(w, http.StatusInternalServerError, "InternalServerException", "injected internal error")
	case ExpiredToken:
		writeAPIError(w, http.StatusForbidden, "ExpiredTokenException", "The security token included in the request is expired")
	case Unrecognized:
		writeAPIError(w, http.StatusForbidden, "UnrecognizedClientException", "The security token included in the request is invalid.")
	case Hang:
		markNoAnswer(w)
		select {
		case <-r.Context().Done():
		case <-s.done:
		}
	case BadJSON:
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"authorizationToken": "eyJ2ZXIiOjEsIm`)) // the client may be gone
	case Slow:
		if s.sleep(r, f.Delay) {
			return false
		}
		markNoAnswer(w)
	default:
		return false
	}
	return true
}

// sleep waits d and reports whether the request is still wanted: false when
// the client leaves or the server closes first.
func (s *Server) sleep(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
	case <-s.done:
	}
	return false
}

func opOf(r *http.Request) string {
	if r.URL.Path == "/v1/repository/endpoint" {
		return OpGetRepositoryEndpoint
	}
	return OpGetAuthorizationToken
}
