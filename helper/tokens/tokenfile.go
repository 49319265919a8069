package tokens

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/helper/tokenchar"
	"github.com/ca-helper/ca-helper/keyring"
)

// tokenFileHint is shown with every problem of CA_HELPER_TOKEN_FILE.
const tokenFileHint = "CA_HELPER_TOKEN_FILE must hold the output of `ca-helper get --format json`, refreshed before it expires; unset it to fetch tokens here"

// readTokenFile serves the token a fleet-wide job fetched once and mounted for
// every host (a Kubernetes Secret, a file synced from Secrets Manager): the
// `get --format json` document. It is checked like a cache entry — the target
// must match and the token must stay valid for min-ttl — but never refreshed
// here, because the point is that these hosts make no AWS call at all.
func ReadFile(path string, t target.Target, minTTL time.Duration, now time.Time, warn func(string)) (keyring.Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return keyring.Entry{}, failure.Wrap(failure.Runtime, tokenFileHint, fmt.Errorf("read token file: %w", err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 64<<10))
	if err != nil {
		return keyring.Entry{}, failure.Wrap(failure.Runtime, tokenFileHint, fmt.Errorf("read token file %s: %w", path, err))
	}
	var doc Document
	if err := json.Unmarshal(data, &doc); err != nil {
		return keyring.Entry{}, failure.Wrap(failure.Runtime, tokenFileHint, fmt.Errorf("token file %s is not a ca-helper JSON token: %v", path, jsonProblem(err)))
	}
	exp, err := time.Parse(time.RFC3339, doc.Expiration)
	e := keyring.Entry{Token: keyring.Token(doc.Token), Expiration: exp, Fetched: exp.Add(-time.Hour)}
	if err != nil || !tokenchar.Valid(doc.Token) {
		return keyring.Entry{}, failure.Wrap(failure.Runtime, tokenFileHint, fmt.Errorf("token file %s lacks a valid token or expiration", path))
	}
	if doc.Target.Domain != t.Domain || (doc.Target.Owner != "" && t.Owner != "" && doc.Target.Owner != t.Owner) {
		return keyring.Entry{}, failure.Usagef("point CA_HELPER_TOKEN_FILE at the token of this domain, or change the target",
			"token file %s holds a token for %s-%s, not for %s", path, doc.Target.Domain, doc.Target.Owner, t)
	}
	if !e.Valid(now) {
		return keyring.Entry{}, failure.Wrap(failure.Runtime, tokenFileHint, fmt.Errorf("token file %s holds a token that expired at %s", path, exp.UTC().Format(time.RFC3339)))
	}
	if !e.Fresh(now, minTTL) {
		warn(fmt.Sprintf("the token in %s expires in %s, sooner than min-ttl %s; is the job that refreshes it running?",
			path, exp.Sub(now).Round(time.Minute), minTTL))
	}
	return e, nil
}

// jsonProblem says what is wrong with a JSON document without quoting it.
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Sprintf("invalid JSON at byte %d", syn.Offset)
	}
	return "unexpected JSON shape"
}
