package keyring

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/ca-helper/ca-helper/helper/tokenchar"
)

const redacted = "[redacted]"

// Token is a secret string that never prints itself: fmt verbs, JSON and text
// marshalling all produce "[redacted]". Reveal is the only way to the text.
// Caveat: fmt cannot call methods on unexported struct fields, so a Token
// kept in an unexported field prints raw with %v; keep it exported or never
// print the holder.
type Token string

// Reveal returns the secret text.
func (t Token) Reveal() string { return string(t) }

// String returns "[redacted]".
func (t Token) String() string { return redacted }

// GoString returns "[redacted]" so %#v does not leak the token either.
func (t Token) GoString() string { return redacted }

// Format implements fmt.Formatter so that every verb (%v %s %q %x %d …)
// prints the redacted form.
func (t Token) Format(f fmt.State, verb rune) {
	switch verb {
	case 'q':
		fmt.Fprintf(f, "%q", redacted)
	default:
		fmt.Fprint(f, redacted)
	}
}

// MarshalJSON returns the JSON string "[redacted]".
func (t Token) MarshalJSON() ([]byte, error) { return json.Marshal(redacted) }

// MarshalText returns "[redacted]".
func (t Token) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// Entry is one cached token.
type Entry struct {
	Token      Token
	Expiration time.Time // when AWS stops accepting the token
	Fetched    time.Time // when we got it
}

// Valid reports whether the token has not expired yet at now.
func (e Entry) Valid(now time.Time) bool { return now.Before(e.Expiration) }

// Fresh reports whether the token stays valid for at least minTTL after now,
// i.e. expiration - now >= minTTL. An expired token is never fresh, whatever
// minTTL is.
func (e Entry) Fresh(now time.Time, minTTL time.Duration) bool {
	return e.Valid(now) && e.Expiration.Sub(now) >= minTTL
}

// wireVersion is the only value format this package reads and writes.
const wireVersion = 1

// wire is the stored form of an Entry. Pointers tell "missing" from "zero".
type wire struct {
	V          *int    `json:"v"`
	Token      *string `json:"token"`
	Expiration *string `json:"expiration"`
	Fetched    *string `json:"fetched"`
}

// Encode returns the stored form of e:
// {"v":1,"token":"…","expiration":"RFC3339","fetched":"RFC3339"}, times in UTC
// with whole seconds.
func Encode(e Entry) ([]byte, error) {
	if err := checkToken(string(e.Token)); err != nil {
		return nil, fmt.Errorf("encode entry: %w", err)
	}
	if e.Expiration.IsZero() || e.Fetched.IsZero() {
		return nil, fmt.Errorf("encode entry: expiration and fetched time are required")
	}
	v, tok := wireVersion, string(e.Token)
	exp, fet := formatTime(e.Expiration), formatTime(e.Fetched)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(wire{V: &v, Token: &tok, Expiration: &exp, Fetched: &fet}); err != nil {
		return nil, fmt.Errorf("encode entry: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Decode parses a stored value. Anything but a complete version 1 document
// is an error wrapping ErrCorrupt; the error never quotes the input.
func Decode(b []byte) (Entry, error) {
	var w wire
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&w); err != nil {
		return Entry{}, fmt.Errorf("%w: not a json object", ErrCorrupt)
	}
	if dec.More() {
		return Entry{}, fmt.Errorf("%w: trailing data", ErrCorrupt)
	}
	switch {
	case w.V == nil:
		return Entry{}, fmt.Errorf("%w: missing version", ErrCorrupt)
	case *w.V != wireVersion:
		return Entry{}, fmt.Errorf("%w: unknown version %d", ErrCorrupt, *w.V)
	case w.Token == nil || w.Expiration == nil || w.Fetched == nil:
		return Entry{}, fmt.Errorf("%w: missing field", ErrCorrupt)
	}
	if err := checkToken(*w.Token); err != nil {
		return Entry{}, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	exp, err := parseTime("expiration", *w.Expiration)
	if err != nil {
		return Entry{}, err
	}
	fet, err := parseTime("fetched", *w.Fetched)
	if err != nil {
		return Entry{}, err
	}
	return Entry{Token: Token(*w.Token), Expiration: exp, Fetched: fet}, nil
}

// checkToken rejects what is no CodeArtifact token (package tokenchar): an
// entry that was edited by hand, or written by something else, is not served.
func checkToken(s string) error {
	if s == "" {
		return fmt.Errorf("empty token")
	}
	if !tokenchar.Valid(s) {
		return fmt.Errorf("token holds characters no CodeArtifact token has")
	}
	return nil
}

func formatTime(t time.Time) string { return t.UTC().Truncate(time.Second).Format(time.RFC3339) }

func parseTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, fmt.Errorf("%w: empty %s", ErrCorrupt, field)
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil || t.IsZero() {
		return time.Time{}, fmt.Errorf("%w: bad %s time", ErrCorrupt, field)
	}
	return t.UTC(), nil
}
