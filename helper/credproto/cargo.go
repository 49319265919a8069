package credproto

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
)

// The Cargo credential-provider protocol, version 1, as the Cargo book's
// "Credential Provider Protocol" page and the cargo-credential crate
// (credential/cargo-credential/src/lib.rs, error.rs) define it:
//
//   - the provider writes the hello {"v":[1]} first;
//   - Cargo writes one JSON request per line and closes stdin after the
//     answer (src/cargo/util/credential/process.rs sends exactly one);
//   - every answer is one line, {"Ok":{...}} or {"Err":{"kind":...}};
//   - "url-not-supported" and "not-found" make Cargo try the next provider,
//     every other error is fatal (src/cargo/util/auth/mod.rs,
//     credential_action), so a host that is not ours must always get
//     "url-not-supported", whatever the request kind.
//
// Token format: Cargo sends the token verbatim as the value of the
// Authorization header (Cargo book: "The token will be sent to the registry
// as the value of the Authorization HTTP header"). AWS's guide "Configure and
// use Cargo with CodeArtifact" configures
// credential-provider = "cargo:token-from-stdout aws codeartifact
// get-authorization-token ... --query authorizationToken --output text", and
// cargo:token-from-stdout passes the command's output through unchanged
// (src/cargo/util/credential/adaptor.rs). So CodeArtifact takes the bare
// token, and the answer carries the bare token with no "Bearer " prefix.

// cargoRequest is the part of a Cargo request this helper reads. Other fields
// (operation, name, vers, cksum, args, registry.name, registry.headers) are
// ignored: CodeArtifact tokens are not scoped to an operation.
type cargoRequest struct {
	V        *int `json:"v"`
	Registry *struct {
		IndexURL *string `json:"index-url"`
	} `json:"registry"`
	Kind string `json:"kind"`
}

type cargoOk struct {
	Kind                 string `json:"kind"`
	Token                string `json:"token,omitempty"`
	Cache                string `json:"cache,omitempty"`
	Expiration           int64  `json:"expiration,omitempty"`
	OperationIndependent *bool  `json:"operation_independent,omitempty"`
}

type cargoErr struct {
	Kind     string    `json:"kind"`
	Message  string    `json:"message,omitempty"`
	CausedBy *[]string `json:"caused-by,omitempty"`
}

type cargoAnswer struct {
	Ok  *cargoOk  `json:"Ok,omitempty"`
	Err *cargoErr `json:"Err,omitempty"`
}

// Cargo runs the Cargo credential-provider protocol over r and w: it writes
// the hello, then answers one request per line until r ends.
//
// A request that cannot be read (bad JSON, a line over 64 KiB, missing
// fields, a protocol version other than 1) is answered in-band with an
// {"Err":{"kind":"other",...}} line and ends the session, as the reference
// implementation (cargo_credential::main) does. Cargo returns nil then:
// Cargo discards the answer of a provider that exits non-zero, so the
// command must exit 0 for the message to reach the user. Only a failure to
// read r or write w is returned.
func Cargo(ctx context.Context, r io.Reader, w io.Writer, lookup Lookup, erase Eraser) error {
	if _, err := io.WriteString(w, `{"v":[1]}`+"\n"); err != nil {
		return err
	}
	br := bufio.NewReader(r)
	for {
		line, err := readCargoLine(br)
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, ErrBadInput) {
			return fmt.Errorf("read request: %w", err)
		}
		if errors.Is(err, io.EOF) && len(line) == 0 {
			return nil
		}
		var answer cargoAnswer
		var stop bool
		if errors.Is(err, ErrBadInput) {
			answer, stop = cargoOther(err.Error()), true
		} else {
			answer, stop = cargoAnswerFor(ctx, line, lookup, erase)
		}
		b, merr := json.Marshal(answer)
		if merr != nil {
			return fmt.Errorf("encode answer: %w", merr)
		}
		if _, werr := w.Write(append(b, '\n')); werr != nil {
			return werr
		}
		if stop || errors.Is(err, io.EOF) {
			return nil
		}
	}
}

// readCargoLine reads one line of at most maxInput bytes.
func readCargoLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxInput+1 {
			return nil, badInput("request line longer than %d bytes", maxInput)
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return line, err
		}
	}
}

// cargoAnswerFor answers one request line; stop says the session must end.
func cargoAnswerFor(ctx context.Context, line []byte, lookup Lookup, erase Eraser) (answer cargoAnswer, stop bool) {
	var req cargoRequest
	if err := json.Unmarshal(line, &req); err != nil {
		return cargoOther("malformed request: " + err.Error()), true
	}
	switch {
	case req.V == nil:
		return cargoOther("malformed request: missing field `v`"), true
	case *req.V != 1:
		return cargoOther(fmt.Sprintf("unsupported protocol version %d", *req.V)), true
	case req.Registry == nil || req.Registry.IndexURL == nil:
		return cargoOther("malformed request: missing field `registry.index-url`"), true
	}
	host, ok := cargoHost(*req.Registry.IndexURL)
	if !ok {
		return cargoError("url-not-supported"), false
	}
	return cargoAct(ctx, req.Kind, host, lookup, erase), false
}

// cargoAct carries out a request of kind for an https host.
func cargoAct(ctx context.Context, kind, host string, lookup Lookup, erase Eraser) cargoAnswer {
	var (
		token   string
		expires time.Time
		ok      bool
		err     error
	)
	switch kind {
	case "get":
		token, expires, ok, err = fetch(ctx, lookup, host)
	case "logout":
		ok, err = erase(ctx, host)
	default:
		// login, and kinds newer than this helper. Only the lookup knows
		// whether the host is ours, and a foreign host must get
		// url-not-supported so that Cargo asks the next provider; the
		// token it returns is dropped.
		_, _, ok, err = lookup(ctx, host)
	}
	switch {
	case err != nil:
		return cargoOther(err.Error())
	case !ok:
		return cargoError("url-not-supported")
	case kind == "get":
		return cargoToken(token, expires)
	case kind == "logout":
		return cargoAnswer{Ok: &cargoOk{Kind: "logout"}}
	}
	return cargoError("operation-not-supported")
}

// cargoHost is the lower-cased host of an https index URL, with or without
// Cargo's "sparse+" prefix; ok=false for anything else.
func cargoHost(indexURL string) (string, bool) {
	u, err := url.Parse(strings.TrimPrefix(indexURL, "sparse+"))
	if err != nil || u.Scheme != "https" || u.User != nil || u.Host == "" {
		return "", false
	}
	return strings.ToLower(u.Host), true
}

func cargoToken(token string, expires time.Time) cargoAnswer {
	yes := true
	ok := &cargoOk{Kind: "get", Token: token, Cache: "never", OperationIndependent: &yes}
	if !expires.IsZero() {
		ok.Cache, ok.Expiration = "expires", expires.Unix()
	}
	return cargoAnswer{Ok: ok}
}

func cargoError(kind string) cargoAnswer { return cargoAnswer{Err: &cargoErr{Kind: kind}} }

func cargoOther(message string) cargoAnswer {
	return cargoAnswer{Err: &cargoErr{Kind: "other", Message: message, CausedBy: &[]string{}}}
}
