package awsca

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/ca-helper/ca-helper/helper/awsproc"
	"github.com/ca-helper/ca-helper/helper/failure"
)

// DoctorFunc runs the doctor checks of an awsproc.DoctorRequest and
// returns the awsproc.DoctorAnswer; ca-helper-aws supplies it, so this package needs no doctor.
type DoctorFunc func(ctx context.Context, req json.RawMessage) (json.RawMessage, error)

// maxRequest bounds the request ca-helper sends: a few hundred bytes, a few
// KB for doctor.
const maxRequest = 64 << 10

// Serve answers one awsproc request read from in with one response on out. It
// is what ca-helper-aws --serve does; classified failures travel in the
// response, so the exit status only says whether an answer was written.
func Serve(ctx context.Context, c *Client, in io.Reader, out io.Writer, doctor DoctorFunc) error {
	var req awsproc.Request
	if err := json.NewDecoder(io.LimitReader(in, maxRequest)).Decode(&req); err != nil {
		return fmt.Errorf("read request: %w", err)
	}
	if req.Debug && c.DebugLog != nil {
		ctx = withDebugLog(ctx, c.DebugLog)
	}
	if req.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, req.Timeout)
		defer cancel()
	}
	var resp awsproc.Response
	var err error
	switch req.Op {
	case awsproc.OpToken:
		var tok Token
		if tok, err = c.Token(ctx, req); err == nil {
			err = checkTokenSize(req, tok)
		}
		resp.Token, resp.Expiration = tok.Value.Reveal(), tok.Expiration // the wire to ca-helper
	case awsproc.OpEndpoint:
		resp.Endpoint, err = c.Endpoint(ctx, req, req.Repository, req.Format)
	case awsproc.OpAccount:
		resp.Account, err = c.Account(ctx, req)
	case awsproc.OpDoctor:
		if doctor == nil {
			err = errors.New("this ca-helper-aws runs no doctor checks")
			break
		}
		resp.Doctor, err = doctor(ctx, req.Doctor)
	default:
		err = fmt.Errorf("unknown operation %q", req.Op)
	}
	if err != nil {
		resp = awsproc.Response{Error: toWire(err)} // never the token that came with err
	}
	return json.NewEncoder(out).Encode(resp)
}

// checkTokenSize refuses a token ca-helper would refuse anyway, so that a
// runaway answer (megabytes) never crosses the process boundary.
func checkTokenSize(req awsproc.Request, tok Token) error {
	if err := awsproc.CheckTokenLen(tok.Value.Reveal()); err != nil {
		return &Error{Code: failure.Runtime, Reason: "unexpected answer", hint: awsproc.UnexpectedHint,
			op: "get authorization token for domain " + req.Domain, err: err}
	}
	return nil
}

// toWire keeps an error's classification across the process boundary.
func toWire(err error) *awsproc.Error {
	var e *Error
	if errors.As(err, &e) {
		return &awsproc.Error{Code: e.Code, Reason: e.Reason, Message: e.Error(), HintText: e.hint}
	}
	return &awsproc.Error{Code: failure.Runtime, Reason: "failed", Message: shortLine(err.Error())}
}
