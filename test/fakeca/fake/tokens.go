package fake

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"time"
)

// tokenLen is the length of a generated token; real ones are JWE-like
// strings of roughly 1,100–1,600 characters.
const tokenLen = 1200

// hugeTokenLen is the size of the HugeBody token.
const hugeTokenLen = 10 << 20

// bigTokenLen is the size of the BigToken token: more than the Secret Service
// (8 KiB), macOS Keychain (~3 KB) and Windows Credential Manager (2.5 KB)
// limits of ca-helper's keyring package, less than the 16 KiB ca-helper
// accepts from the service.
const bigTokenLen = 12 << 10

type tokenInfo struct {
	domain, owner string
	expires       time.Time
}

// newToken returns a fresh random token shaped like CodeArtifact's: a
// base64url JSON header and four base64url parts joined by dots.
func newToken(issued, expires time.Time) string {
	enc := base64.RawURLEncoding
	header := fmt.Sprintf(`{"ver":1,"isu":%d,"enc":"A128GCM","tag":"%s","exp":%d,"alg":"A128GCMKW","iv":"%s"}`,
		issued.Unix(), randomText(22), expires.Unix(), randomText(16))
	parts := []string{enc.EncodeToString([]byte(header)), randomText(22), randomText(16), "", randomText(22)}
	used := len(parts) - 1
	for _, p := range parts {
		used += len(p)
	}
	parts[3] = randomText(max(tokenLen-used, 64))
	return strings.Join(parts, ".")
}

// randomText returns n random base64url characters.
func randomText(n int) string {
	b := make([]byte, (n*3+3)/4)
	rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)[:n]
}

// hugeText repeats seed to hugeTokenLen characters: cheap to make, and
// still unique when seed is.
func hugeText(seed string) string {
	return strings.Repeat(seed, hugeTokenLen/len(seed)+1)[:hugeTokenLen]
}

// tokenPrefix is the part of a token that may be logged: at most its first
// six characters, and never more than half of a short one.
func tokenPrefix(tok string) string {
	return tok[:min(6, len(tok)/2)]
}

// issueToken makes and remembers a token for (domain, owner) that expires at
// expires, bent by the token-shaping fault kinds.
func (s *Server) issueToken(domain, owner string, expires time.Time, kind FaultKind) string {
	var tok string
	switch kind {
	case HugeBody:
		tok = hugeText(newToken(s.now(), expires))
	case BigToken:
		t := newToken(s.now(), expires)
		tok = t + strings.Repeat("."+randomText(len(t)-1), bigTokenLen/len(t))[:bigTokenLen-len(t)]
	case ControlCharToken:
		t := newToken(s.now(), expires)
		tok = t[:100] + "\n" + t[100:200] + "\x01" + t[200:]
	default:
		tok = newToken(s.now(), expires)
	}
	s.mu.Lock()
	s.tokens[tok] = tokenInfo{domain: domain, owner: owner, expires: expires}
	s.issued = append(s.issued, tok)
	s.mu.Unlock()
	return tok
}

// IssuedTokens returns every token issued, oldest first.
func (s *Server) IssuedTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.issued...)
}

// IssuedDomains returns the domain of every token issued, oldest first.
func (s *Server) IssuedDomains() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.issued))
	for _, tok := range s.issued {
		out = append(out, s.tokens[tok].domain)
	}
	return out
}

// TokenExpiry is when tok, a token this server issued, expires; ok=false
// for any other string.
func (s *Server) TokenExpiry(tok string) (expires time.Time, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info, ok := s.tokens[tok]
	return info.expires, ok
}

// ValidToken reports whether tok was issued by this server and has not
// expired.
func (s *Server) ValidToken(tok string) bool {
	s.mu.Lock()
	info, ok := s.tokens[tok]
	s.mu.Unlock()
	return ok && s.now().Before(info.expires)
}

// ExpireTokens makes every token issued so far expire now, as if time had
// passed: the repository routes refuse them from then on.
func (s *Server) ExpireTokens() {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for tok, info := range s.tokens {
		info.expires = now
		s.tokens[tok] = info
	}
}
