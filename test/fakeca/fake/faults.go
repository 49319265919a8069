package fake

import (
	"fmt"
	"strings"
	"time"
)

// FaultKind names a misbehaviour of the API routes.
type FaultKind int

// Fault kinds. Error kinds answer with the status and X-Amzn-ErrorType the
// real service uses; the others bend a successful answer.
const (
	None             FaultKind = iota
	AccessDenied               // 403 AccessDeniedException
	NotFound                   // 404 ResourceNotFoundException
	Validation                 // 400 ValidationException
	Throttle                   // 429 ThrottlingException, Retry-After from Fault.RetryAfter
	ServerError                // 500 InternalServerException
	ExpiredToken               // 403 ExpiredTokenException (expired credentials)
	Unrecognized               // 403 UnrecognizedClientException (bad access key)
	Hang                       // no answer until the client leaves or the server closes
	Slow                       // wait Fault.Delay, then answer normally
	BadJSON                    // 200 with a truncated JSON body
	MissingToken               // 200 without authorizationToken (or repositoryEndpoint)
	HugeBody                   // 200 with a 10 MiB token (or endpoint)
	PastExpiration             // token whose expiration is an hour ago
	FarExpiration              // token whose expiration is 100 years ahead
	ControlCharToken           // token holding "\n" and "\x01"
	ShortLived                 // token valid for Fault.Delay only (10m when 0)
	BigToken                   // a well-formed 12 KiB token: over every keyring's limit, under ca-helper's
)

var faultNames = [...]string{
	None:             "none",
	AccessDenied:     "access-denied",
	NotFound:         "not-found",
	Validation:       "validation",
	Throttle:         "throttle",
	ServerError:      "server-error",
	ExpiredToken:     "expired-token",
	Unrecognized:     "unrecognized",
	Hang:             "hang",
	Slow:             "slow",
	BadJSON:          "bad-json",
	MissingToken:     "missing-token",
	HugeBody:         "huge-body",
	PastExpiration:   "past-expiration",
	FarExpiration:    "far-expiration",
	ControlCharToken: "control-char-token",
	ShortLived:       "short-lived",
	BigToken:         "big-token",
}

// String is the kebab-case name ParseFaultKind accepts.
func (k FaultKind) String() string {
	if k >= 0 && int(k) < len(faultNames) {
		return faultNames[k]
	}
	return fmt.Sprintf("FaultKind(%d)", int(k))
}

// FaultKinds lists every kind, None first.
func FaultKinds() []FaultKind {
	kinds := make([]FaultKind, len(faultNames))
	for i := range kinds {
		kinds[i] = FaultKind(i)
	}
	return kinds
}

// ParseFaultKind reads a kind by name, ignoring case, '-' and '_'
// ("throttle", "access-denied", "AccessDenied", "bad_json").
func ParseFaultKind(name string) (FaultKind, error) {
	norm := func(s string) string {
		return strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(s))
	}
	for i, n := range faultNames {
		if norm(n) == norm(name) {
			return FaultKind(i), nil
		}
	}
	return None, fmt.Errorf("unknown fault %q (known: %s)", name, strings.Join(faultNames[:], ", "))
}

// tokenOnly reports whether k only makes sense for GetAuthorizationToken.
func (k FaultKind) tokenOnly() bool {
	switch k {
	case PastExpiration, FarExpiration, ControlCharToken, ShortLived, BigToken:
		return true
	}
	return false
}

// Fault is a misbehaviour injected into the API routes.
type Fault struct {
	Kind FaultKind
	// Times is how many API calls the fault applies to; 0 means until it
	// is replaced.
	Times int
	// Delay is the wait of Slow and the token lifetime of ShortLived.
	Delay time.Duration
	// RetryAfter is the Retry-After header of Throttle; "" sends none.
	RetryAfter string
	// Op limits the fault to one operation (OpGetAuthorizationToken or
	// OpGetRepositoryEndpoint); "" means both.
	Op string
	// Message replaces the service's message of AccessDenied; "" keeps
	// the real service's wording.
	Message string
}

func (f Fault) appliesTo(op string) bool {
	if f.Kind == None || (f.Op != "" && f.Op != op) {
		return false
	}
	return op == OpGetAuthorizationToken || !f.Kind.tokenOnly()
}

type activeFault struct {
	Fault
	left int // calls left when Times > 0
}

// SetFault replaces any pending faults with f; Fault{} clears them.
func (s *Server) SetFault(f Fault) { s.SetFaults(f) }

// SetFaults queues faults to apply one after another: each one for its
// Times calls, then the next; a fault with Times 0 stays until replaced.
// Throttle twice, then deny:
//
//	s.SetFaults(Fault{Kind: Throttle, Times: 2}, Fault{Kind: AccessDenied, Times: 1})
func (s *Server) SetFaults(fs ...Fault) {
	queue := make([]*activeFault, 0, len(fs))
	for _, f := range fs {
		if f.Kind != None {
			queue = append(queue, &activeFault{Fault: f, left: f.Times})
		}
	}
	s.mu.Lock()
	s.faults = queue
	s.mu.Unlock()
}

// takeFault returns the fault for one call of op, using up one of its Times.
// A fault at the head of the queue that does not apply to op is left alone.
func (s *Server) takeFault(op string) Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.faults) == 0 || !s.faults[0].appliesTo(op) {
		return Fault{}
	}
	head := s.faults[0]
	if head.Times > 0 {
		head.left--
		if head.left <= 0 {
			s.faults = s.faults[1:]
		}
	}
	return head.Fault
}
