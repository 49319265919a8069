package fake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"time"
)

// Constraints of the CodeArtifact API model.
var (
	domainPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{0,48}[a-z0-9]$`)
	ownerPattern  = regexp.MustCompile(`^[0-9]{12}$`)
	repoPattern   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{1,99}$`)
	formats       = []string{"npm", "pypi", "maven", "nuget", "generic", "ruby", "swift", "cargo"}
)

const (
	defaultTokenLifetime = 12 * time.Hour
	minDuration          = 900
	maxDuration          = 43200
	shortLivedDefault    = 10 * time.Minute
)

// handleToken answers POST /v1/authorization-token?domain=&domain-owner=&duration=.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request, info *Request) {
	if r.Method != http.MethodPost {
		writeAPIError(w, http.StatusNotFound, "UnknownOperationException", "unknown operation "+r.Method+" "+r.URL.Path)
		return
	}
	if !s.authenticate(w, r, info) {
		return
	}
	f := s.takeFault(OpGetAuthorizationToken)
	if s.injectFault(w, r, f) {
		return
	}
	q := r.URL.Query()
	domain, owner, ok := s.checkDomain(w, q)
	if !ok {
		return
	}
	lifetime, err := parseDuration(q.Get("duration"))
	if err != nil {
		writeAPIError(w, http.StatusBadRequest, "ValidationException", err.Error())
		return
	}
	expires := s.expiry(lifetime, f)
	tok := s.issueToken(domain, owner, expires, f.Kind)
	body := map[string]any{"expiration": epochSeconds(expires)}
	if f.Kind != MissingToken {
		body["authorizationToken"] = tok
	}
	writeJSON(w, body)
}

// handleEndpoint answers GET /v1/repository/endpoint?domain=&domain-owner=&repository=&format=.
func (s *Server) handleEndpoint(w http.ResponseWriter, r *http.Request, info *Request) {
	if r.Method != http.MethodGet {
		writeAPIError(w, http.StatusNotFound, "UnknownOperationException", "unknown operation "+r.Method+" "+r.URL.Path)
		return
	}
	if !s.authenticate(w, r, info) {
		return
	}
	f := s.takeFault(OpGetRepositoryEndpoint)
	if s.injectFault(w, r, f) {
		return
	}
	q := r.URL.Query()
	if _, _, ok := s.checkDomain(w, q); !ok {
		return
	}
	repo, format := q.Get("repository"), q.Get("format")
	base := s.URL()
	if r.TLS != nil { // asked on a TLS listener (as Cargo's tests do): the endpoint is there
		base = requestBase(r)
	}
	switch {
	case !repoPattern.MatchString(repo):
		writeAPIError(w, http.StatusBadRequest, "ValidationException", constraintMessage("repository", repo, repoPattern.String()))
	case !slices.Contains(formats, format):
		writeAPIError(w, http.StatusBadRequest, "ValidationException",
			fmt.Sprintf("1 validation error detected: Value '%s' at 'format' failed to satisfy constraint: Member must satisfy enum value set: %v", format, formats))
	case !validEndpointType(q.Get("endpointType")):
		writeAPIError(w, http.StatusBadRequest, "ValidationException", "endpointType must be ipv4 or dualstack")
	case repo == "missing":
		writeNotFound(w, "repository", repo)
	case f.Kind == MissingToken:
		writeJSON(w, map[string]any{})
	case f.Kind == HugeBody:
		writeJSON(w, map[string]any{"repositoryEndpoint": base + "/" + format + "/" + hugeText(repo+"-") + "/"})
	default:
		writeJSON(w, map[string]any{"repositoryEndpoint": base + "/" + format + "/" + repo + "/"})
	}
}

func validEndpointType(t string) bool {
	return t == "" || t == "ipv4" || t == "dualstack"
}

// checkDomain validates the domain and domain-owner parameters and answers
// the request when they are invalid or name no domain.
func (s *Server) checkDomain(w http.ResponseWriter, q url.Values) (domain, owner string, ok bool) {
	domain, owner = q.Get("domain"), q.Get("domain-owner")
	if owner == "" && !q.Has("domain-owner") {
		owner = DefaultOwner
	}
	switch {
	case !domainPattern.MatchString(domain):
		writeAPIError(w, http.StatusBadRequest, "ValidationException", constraintMessage("domain", domain, domainPattern.String()))
	case !ownerPattern.MatchString(owner):
		writeAPIError(w, http.StatusBadRequest, "ValidationException", constraintMessage("domainOwner", owner, ownerPattern.String()))
	case domain == "missing" || (s.opts.Domains != nil && !slices.Contains(s.opts.Domains, domain)):
		writeNotFound(w, "domain", domain)
	default:
		return domain, owner, true
	}
	return "", "", false
}

func constraintMessage(field, value, pattern string) string {
	return fmt.Sprintf("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: %s", value, field, pattern)
}

// parseDuration reads the duration parameter: absent or 0 means the default
// lifetime, otherwise 900..43200 seconds.
func parseDuration(v string) (time.Duration, error) {
	if v == "" {
		return defaultTokenLifetime, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	switch {
	case err != nil:
		return 0, fmt.Errorf("1 validation error detected: Value '%s' at 'durationSeconds' failed to satisfy constraint: Member must be a number", v)
	case n == 0:
		return defaultTokenLifetime, nil
	case n < minDuration || n > maxDuration:
		return 0, fmt.Errorf("1 validation error detected: Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value between %d and %d, or be 0", n, minDuration, maxDuration)
	}
	return time.Duration(n) * time.Second, nil
}

// expiry is when a token asked to live for lifetime expires, after the
// TokenTTL cap and the expiration-bending faults.
func (s *Server) expiry(lifetime time.Duration, f Fault) time.Time {
	now := s.now()
	if s.opts.TokenTTL > 0 {
		lifetime = min(lifetime, s.opts.TokenTTL)
	}
	switch f.Kind {
	case PastExpiration:
		return now.Add(-time.Hour).Truncate(time.Millisecond)
	case FarExpiration:
		return now.AddDate(100, 0, 0).Truncate(time.Millisecond)
	case ShortLived:
		if f.Delay > 0 {
			lifetime = f.Delay
		} else {
			lifetime = shortLivedDefault
		}
	}
	return now.Add(lifetime).Truncate(time.Millisecond)
}

// epochSeconds writes t the way the service does: seconds since the epoch
// as a JSON number, with milliseconds as a fraction.
func epochSeconds(t time.Time) json.Number {
	return json.Number(strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', -1, 64))
}

func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeAPIError(w, http.StatusInternalServerError, "InternalServerException", "encode response: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Requestid", randomText(22))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b) // the client may be gone
}

// writeAPIError answers like the service: the error name in
// X-Amzn-ErrorType (which the SDK reads first) and in the body's __type.
func writeAPIError(w http.ResponseWriter, status int, code, msg string) {
	writeErrorBody(w, status, code, map[string]any{"__type": code, "message": msg})
}

func writeNotFound(w http.ResponseWriter, resourceType, id string) {
	writeErrorBody(w, http.StatusNotFound, "ResourceNotFoundException", map[string]any{
		"__type":       "ResourceNotFoundException",
		"message":      fmt.Sprintf("%s %s not found", resourceType, id),
		"resourceType": resourceType,
		"resourceId":   id,
	})
}

func writeErrorBody(w http.ResponseWriter, status int, code string, body map[string]any) {
	b, _ := json.Marshal(body) // strings only
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Amzn-Errortype", code)
	h.Set("X-Amzn-Requestid", randomText(22))
	w.WriteHeader(status)
	w.Write(b) // the client may be gone
}
