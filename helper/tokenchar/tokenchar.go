// Package tokenchar is the one Go definition of the characters a CodeArtifact
// authorization token may hold. The token service checks every token it
// fetches and every CA_HELPER_TOKEN_FILE token with it, the cache refuses to
// store or serve anything else, and the credential protocols (git, Cargo,
// Bazel) hand out nothing else. The Maven extension
// keeps a Java copy (it runs in Maven's JVM), which this package's tests run
// against the same table. It imports only the standard library, so light
// packages such as protocol code can use it without pulling in the keyring.
package tokenchar

import "strings"

// Char reports whether c may appear in a token: an ASCII letter or digit, or
// one of . _ ~ + / = -.
//
// CodeArtifact tokens are JWE-like: base64url segments (letters, digits, '-'
// and '_') joined by '.'. Standard base64's '+', '/' and '=' padding are
// accepted too, as is '~', which like '-', '.' and '_' is an unreserved URL
// character. Nothing else is accepted — no space, quote, backslash, control
// or non-ASCII character — because any of those could end a line or a quoted
// value in the settings files, environment variables and credential-helper
// answers a token is written into.
func Char(c rune) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.ContainsRune("._~+/=-", c)
}

// Valid reports whether tok is a non-empty string of Char characters. It does
// not bound the length: callers that must, check awsproc.MaxTokenLen.
func Valid(tok string) bool {
	return tok != "" && strings.IndexFunc(tok, func(c rune) bool { return !Char(c) }) < 0
}
