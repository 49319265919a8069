package credproto

import (
	"context"
	"errors"
	"regexp"
	"time"
)

const (
	ourHost    = "x-111122223333.d.codeartifact.us-east-1.amazonaws.com"
	pinnedHost = "artifacts.example.com" // stands for a host pinned in the config
	secret     = "tok3n.SECRET-value_~+/="
	leaked     = "LEAKED-by-a-lookup-that-said-no"
)

// expiry is 2026-01-01T00:00:00Z.
var expiry = time.Unix(1767225600, 0)

// hostPattern stands in for helper.ParseHost, which this package cannot
// import (helper imports credproto).
var hostPattern = regexp.MustCompile(`^[a-z][a-z0-9-]*-[0-9]{12}\.d\.codeartifact\.[a-z]{2}(-[a-z]+)+-[0-9]+\.amazonaws\.com(\.cn)?$`)

var errLookup = errors.New("no AWS credentials found")

// fake is the token side: it records what it was asked and answers for
// ourHost, pinnedHost and hosts matching hostPattern. For other hosts it
// returns ok=false together with a token, to prove that a "not mine" token
// never reaches the output.
type fake struct {
	token    string // default secret
	noExpiry bool
	err      error
	looked   []string
	erased   []string
	accepted int // lookups answered with ok=true
}

func (f *fake) ours(host string) bool {
	return host == ourHost || host == pinnedHost || hostPattern.MatchString(host)
}

func (f *fake) lookup(_ context.Context, host string) (string, time.Time, bool, error) {
	f.looked = append(f.looked, host)
	if f.err != nil {
		return secret, expiry, true, f.err // a token next to an error must not be used either
	}
	if !f.ours(host) {
		return leaked, expiry, false, nil
	}
	f.accepted++
	tok := f.token
	if tok == "" {
		tok = secret
	}
	if f.noExpiry {
		return tok, time.Time{}, true, nil
	}
	return tok, expiry, true, nil
}

func (f *fake) erase(_ context.Context, host string) (bool, error) {
	if f.err != nil {
		return false, f.err
	}
	if !f.ours(host) {
		return false, nil
	}
	f.erased = append(f.erased, host)
	return true, nil
}
