package credproto

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
)

// bazelAnswer is a GetCredentialsResponse of the credential-helper spec
// (github.com/EngFlow/credential-helper-spec, spec.md and
// schemas/get-credentials-response.schema.json).
type bazelAnswer struct {
	Headers map[string][]string `json:"headers,omitempty"`
	Expires string              `json:"expires,omitempty"` // RFC 3339 in UTC
}

// Bazel answers one `get` request of the credential-helper spec that Bazel's
// --credential_helper uses. Bazel writes {"uri":"..."} to stdin and closes it;
// the answer for an https URI whose host lookup accepts is
//
//	{"headers":{"Authorization":["Basic base64(aws:TOKEN)"]},"expires":"RFC3339"}
//
// and for any other URI it is {}, "no credentials needed". The spec says a
// helper SHOULD fail on a URI it does not support; this one answers {} instead
// because Bazel fails the download when a helper exits non-zero
// (CredentialHelper.getCredentials), and a helper configured without a host
// pattern is asked about every URI, public ones included.
//
// Malformed JSON, a missing or unparsable "uri", or more than 64 KiB of input
// is an error wrapping ErrBadInput, and nothing is written.
func Bazel(ctx context.Context, r io.Reader, w io.Writer, lookup Lookup) error {
	host, err := readBazel(r)
	if err != nil {
		return err
	}
	var answer bazelAnswer
	if host != "" {
		token, expires, ok, err := fetch(ctx, lookup, host)
		if err != nil {
			return err
		}
		if ok {
			basic := base64.StdEncoding.EncodeToString([]byte("aws:" + token))
			answer.Headers = map[string][]string{"Authorization": {"Basic " + basic}}
			if !expires.IsZero() {
				answer.Expires = expires.UTC().Format(time.RFC3339)
			}
		}
	}
	b, err := json.Marshal(answer)
	if err != nil {
		return fmt.Errorf("encode answer: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// readBazel returns the lower-cased host (with ":port", if any) of the
// request's https URI, or "" when the URI is not https.
func readBazel(r io.Reader) (string, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return "", fmt.Errorf("read request: %w", err)
	}
	if len(data) > maxInput {
		return "", badInput("request longer than %d bytes", maxInput)
	}
	var req struct {
		URI *string `json:"uri"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&req); err != nil {
		return "", badInput("request is not a JSON object: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return "", badInput("request has data after the JSON object")
	}
	if req.URI == nil || *req.URI == "" {
		return "", badInput(`request has no "uri"`)
	}
	u, err := url.Parse(*req.URI)
	if err != nil {
		return "", badInput(`request "uri" is not a URI`) // not %v: it quotes the URI, userinfo and all
	}
	if u.Scheme != "https" || u.User != nil {
		return "", nil
	}
	return strings.ToLower(u.Host), nil
}
