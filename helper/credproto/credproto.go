// Package credproto speaks the credential-helper protocols of git, Cargo and
// Bazel. It is protocol code only: each protocol is one function over an
// io.Reader and an io.Writer, and everything about tokens — which hosts are
// ours, where a token comes from, how it is cached or erased — is behind the
// Lookup and Eraser functions the caller passes in.
//
// Two rules hold for every protocol. A token is only written in answer to a
// request whose host the Lookup accepted, over https. Input that is not a
// well-formed request is an error wrapping ErrBadInput, and for git and Bazel
// nothing at all is written then (Cargo answers in-band, see Cargo).
package credproto

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ca-helper/ca-helper/helper/tokenchar"
)

// ErrBadInput is wrapped by every error about the request itself (malformed,
// oversized, unknown shape), so that the command line can map it to exit 2.
var ErrBadInput = errors.New("bad input")

// Lookup returns the token for host, a lower-cased host name as the client
// sent it, with ":port" if the URL had one. ok=false means "not mine": the
// host is not one this helper serves, and the client must get no token.
// Lookup is the only place that decides which hosts are ours.
type Lookup func(ctx context.Context, host string) (token string, expires time.Time, ok bool, err error)

// Eraser forgets whatever is cached for host; ok=false means "not mine".
type Eraser func(ctx context.Context, host string) (ok bool, err error)

// Size limits on what a client may send.
const (
	maxInput = 64 << 10 // a whole git request, a Bazel request, one Cargo line
	maxLine  = 4 << 10  // one git key=value line
)

// errBadToken is returned when a lookup hands back something that is no
// token (package tokenchar): it could break out of the protocol (a newline
// would add git attributes of its own) or was never issued by CodeArtifact.
var errBadToken = errors.New("the token lookup returned an empty token or one with characters no token has")

// fetch asks lookup for host and checks the token. A lookup error is passed
// on as is; the token never appears in an error.
func fetch(ctx context.Context, lookup Lookup, host string) (token string, expires time.Time, ok bool, err error) {
	token, expires, ok, err = lookup(ctx, host)
	if err != nil || !ok {
		return "", time.Time{}, false, err
	}
	if !tokenchar.Valid(token) {
		return "", time.Time{}, false, errBadToken
	}
	return token, expires, true, nil
}

func badInput(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrBadInput}, args...)...)
}
