package fake

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	sigAlgorithm   = "AWS4-HMAC-SHA256"
	signingName    = "codeartifact"
	amzDateFormat  = "20060102T150405Z"
	maxClockSkew   = 15 * time.Minute
	maxSignedBody  = 1 << 20
	scopeTerminate = "aws4_request"
)

// errSignatureMismatch words a wrong signature as the service does.
var errSignatureMismatch = errors.New("the request signature we calculated does not match the signature you provided. " +
	"Check your AWS Secret Access Key and signing method.")

var (
	scopeDatePattern = regexp.MustCompile(`^[0-9]{8}$`)
	signaturePattern = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// sigAuth is a parsed SigV4 Authorization header.
type sigAuth struct {
	accessKeyID   string
	date          string // YYYYMMDD of the credential scope
	region        string
	service       string
	signedHeaders []string
	signature     string
}

func (a sigAuth) scope() string {
	return strings.Join([]string{a.date, a.region, a.service, scopeTerminate}, "/")
}

// parseAuthorization reads
// "AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request, SignedHeaders=a;b, Signature=HEX".
func parseAuthorization(h string) (sigAuth, error) {
	rest, ok := strings.CutPrefix(h, sigAlgorithm+" ")
	if !ok {
		return sigAuth{}, errors.New("authorization header must start with " + sigAlgorithm)
	}
	fields := map[string]string{}
	for part := range strings.SplitSeq(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return sigAuth{}, fmt.Errorf("authorization header element %q is not key=value", part)
		}
		fields[k] = v
	}
	for _, k := range []string{"Credential", "SignedHeaders", "Signature"} {
		if fields[k] == "" {
			return sigAuth{}, fmt.Errorf("authorization header requires '%s' parameter", k)
		}
	}
	cred := strings.Split(fields["Credential"], "/")
	if len(cred) != 5 || cred[0] == "" || cred[2] == "" || cred[4] != scopeTerminate || !scopeDatePattern.MatchString(cred[1]) {
		return sigAuth{}, fmt.Errorf("credential %q is not AKID/YYYYMMDD/REGION/SERVICE/aws4_request", fields["Credential"])
	}
	a := sigAuth{
		accessKeyID:   cred[0],
		date:          cred[1],
		region:        cred[2],
		service:       cred[3],
		signedHeaders: strings.Split(fields["SignedHeaders"], ";"),
		signature:     fields["Signature"],
	}
	if !slices.Contains(a.signedHeaders, "host") {
		return sigAuth{}, errors.New("signed headers must include host")
	}
	if !signaturePattern.MatchString(a.signature) {
		return sigAuth{}, errors.New("signature must be 64 lowercase hex digits")
	}
	return a, nil
}

// authenticate checks r's SigV4 Authorization header, records the caller in
// info and answers the request with the service's error when it fails.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, info *Request) bool {
	return s.authenticateFor(w, r, info, signingName)
}

// authenticateFor is authenticate for a request signed for service.
func (s *Server) authenticateFor(w http.ResponseWriter, r *http.Request, info *Request, service string) bool {
	h := r.Header.Get("Authorization")
	if h == "" {
		writeAPIError(w, http.StatusForbidden, "MissingAuthenticationTokenException", "Missing Authentication Token")
		return false
	}
	a, err := parseAuthorization(h)
	if err != nil {
		writeAPIError(w, http.StatusForbidden, "IncompleteSignatureException", err.Error())
		return false
	}
	info.AccessKeyID, info.Region = a.accessKeyID, a.region
	if r.Header.Get("X-Amz-Date") == "" && r.Header.Get("Date") == "" {
		writeAPIError(w, http.StatusForbidden, "IncompleteSignatureException",
			"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
		return false
	}
	if a.service != service {
		writeAPIError(w, http.StatusForbidden, "InvalidSignatureException",
			"Credential should be scoped to correct service: '"+service+"'.")
		return false
	}
	if s.opts.Secrets == nil {
		return true
	}
	secret, ok := s.opts.Secrets[a.accessKeyID]
	if !ok {
		writeAPIError(w, http.StatusForbidden, "UnrecognizedClientException", "The security token included in the request is invalid.")
		return false
	}
	if err := verifySignature(r, a, secret, s.now()); err != nil {
		writeAPIError(w, http.StatusForbidden, "InvalidSignatureException", err.Error())
		return false
	}
	return true
}

// verifySignature recomputes the signature of r per the SigV4 spec and
// compares it with the one a carries.
func verifySignature(r *http.Request, a sigAuth, secret string, now time.Time) error {
	amzDate := r.Header.Get("X-Amz-Date")
	t, err := time.Parse(amzDateFormat, amzDate)
	if err != nil {
		return fmt.Errorf("x-amz-date %q is not in ISO-8601 basic format", amzDate)
	}
	if d := now.Sub(t); d > maxClockSkew || d < -maxClockSkew {
		return fmt.Errorf("signature expired: %s is outside 15 minutes of %s", amzDate, now.UTC().Format(amzDateFormat))
	}
	if a.date != amzDate[:8] {
		return fmt.Errorf("date in credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s'", a.date, amzDate[:8])
	}
	payloadHash, err := payloadHash(r)
	if err != nil {
		return err
	}
	canonical := canonicalRequest(r, a.signedHeaders, payloadHash)
	stringToSign := strings.Join([]string{sigAlgorithm, amzDate, a.scope(), hexSHA256([]byte(canonical))}, "\n")
	key := []byte("AWS4" + secret)
	for _, part := range []string{a.date, a.region, a.service, scopeTerminate} {
		key = hmacSHA256(key, part)
	}
	want := hex.EncodeToString(hmacSHA256(key, stringToSign))
	if !hmac.Equal([]byte(want), []byte(a.signature)) {
		return errSignatureMismatch
	}
	return nil
}

// payloadHash is the signed X-Amz-Content-Sha256 or the hash of the body,
// which it leaves readable for the handler.
func payloadHash(r *http.Request) (string, error) {
	if h := r.Header.Get("X-Amz-Content-Sha256"); h != "" {
		return h, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxSignedBody))
	if err != nil {
		return "", fmt.Errorf("read body: %w", err)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return hexSHA256(body), nil
}

func canonicalRequest(r *http.Request, signedHeaders []string, payloadHash string) string {
	var b strings.Builder
	b.WriteString(r.Method + "\n")
	b.WriteString(uriEncode(r.URL.EscapedPath(), false) + "\n")
	b.WriteString(canonicalQuery(r.URL.RawQuery) + "\n")
	for _, name := range signedHeaders {
		b.WriteString(name + ":" + canonicalHeaderValue(r, name) + "\n")
	}
	b.WriteString("\n" + strings.Join(signedHeaders, ";") + "\n" + payloadHash)
	return b.String()
}

func canonicalHeaderValue(r *http.Request, name string) string {
	var values []string
	switch name {
	case "host":
		values = []string{r.Host}
	case "content-length":
		values = r.Header.Values(name)
		if len(values) == 0 {
			values = []string{strconv.FormatInt(r.ContentLength, 10)}
		}
	default:
		values = r.Header.Values(name)
	}
	for i, v := range values {
		values[i] = strings.Join(strings.Fields(v), " ")
	}
	return strings.Join(values, ",")
}

// canonicalQuery sorts the encoded parameters by name, then value.
func canonicalQuery(raw string) string {
	q, _ := url.ParseQuery(raw) // keep what parsed, as the signer did
	var pairs [][2]string
	for k, vs := range q {
		for _, v := range vs {
			pairs = append(pairs, [2]string{uriEncode(k, true), uriEncode(v, true)})
		}
	}
	slices.SortFunc(pairs, func(a, b [2]string) int {
		if c := strings.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return strings.Compare(a[1], b[1])
	})
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = p[0] + "=" + p[1]
	}
	return strings.Join(parts, "&")
}

// uriEncode percent-encodes every byte but the unreserved ones (and '/'
// unless encodeSlash), as SigV4 requires.
func uriEncode(s string, encodeSlash bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9',
			c == '-', c == '_', c == '.', c == '~', c == '/' && !encodeSlash:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func hexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}
