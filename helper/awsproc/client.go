package awsproc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	"github.com/ca-helper/ca-helper/helper/doctor"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/keyring"
)

// BinaryName is the helper binary installed next to ca-helper.
const BinaryName = "ca-helper-aws"

// maxResponse bounds what we read back; a token is about 1.2 KB.
const maxResponse = 1 << 20

// Client runs ca-helper-aws for each call.
type Client struct {
	Path   string    // the binary; "" = Locate()
	Stderr io.Writer // where the helper's own diagnostics go
}

// Locate finds ca-helper-aws: $CA_HELPER_AWS_BIN, then next to the running
// executable (after resolving links such as git-credential-codeartifact), then PATH.
func Locate() (string, error) {
	if p := os.Getenv("CA_HELPER_AWS_BIN"); p != "" {
		return p, nil
	}
	name := BinaryName
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	if exe, err := os.Executable(); err == nil {
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			exe = real
		}
		p := filepath.Join(filepath.Dir(exe), name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return "", &Error{Code: failure.Runtime, Reason: "not installed", Message: BinaryName + " not found next to ca-helper or on PATH",
			HintText: "install with ./install.sh, or go install github.com/ca-helper/ca-helper/cmd/ca-helper-aws@latest"}
	}
	return p, nil
}

// Call sends req to a fresh ca-helper-aws process and returns its answer. The
// process is killed a little after req.Timeout, which it enforces itself.
func (c Client) Call(ctx context.Context, req Request) (Response, error) {
	path := c.Path
	if path == "" {
		p, err := Locate()
		if err != nil {
			return Response{}, err
		}
		path = p
	}
	in, err := json.Marshal(req)
	if err != nil {
		return Response{}, fmt.Errorf("encode request: %w", err)
	}
	if req.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, req.Timeout+2*time.Second)
		defer cancel()
	}
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, path, "--serve")
	cmd.Stdin = bytes.NewReader(in)
	cmd.Stdout = &limitWriter{w: &out, left: maxResponse}
	cmd.Stderr = c.Stderr
	cmd.WaitDelay = time.Second // after a kill, stop waiting for pipes a grandchild holds
	runErr := cmd.Run()
	var resp Response
	if err := json.Unmarshal(out.Bytes(), &resp); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return Response{}, &Error{Code: failure.Runtime, Reason: "timeout", Message: "the AWS call did not finish in time",
				HintText: "check the network or proxy to CodeArtifact, or raise --timeout; to find out more, run `ca-helper doctor`"}
		}
		var exitErr *exec.ExitError
		if runErr != nil && !errors.As(runErr, &exitErr) {
			return Response{}, protocolError("run %s: %v", BinaryName, runErr)
		}
		return Response{}, protocolError("%s gave no answer (%v)", BinaryName, runErr)
	}
	if resp.Error != nil {
		resp.Error = resp.Error.fromChild()
		return resp, resp.Error
	}
	return resp, nil
}

// Token calls GetAuthorizationToken.
func (c Client) Token(ctx context.Context, r Request) (Token, error) {
	r.Op = OpToken
	resp, err := c.Call(ctx, r)
	if err != nil {
		return Token{}, err
	}
	return Token{Value: keyring.Token(resp.Token), Expiration: resp.Expiration}, nil
}

// Endpoint calls GetRepositoryEndpoint for repo in the given package format.
func (c Client) Endpoint(ctx context.Context, r Request, repo, format string) (string, error) {
	r.Op, r.Repository, r.Format = OpEndpoint, repo, format
	resp, err := c.Call(ctx, r)
	return resp.Endpoint, err
}

// Account calls STS GetCallerIdentity with the credentials of r (its
// profile and region) and returns the caller's account.
func (c Client) Account(ctx context.Context, r Request) (string, error) {
	r.Op = OpAccount
	resp, err := c.Call(ctx, r)
	return resp.Account, err
}

// Doctor runs the checks of `ca-helper doctor` in ca-helper-aws and returns
// their report. Every check is bounded by req.Timeout or req.NetTimeout; the
// budget given to the process only stops one that hangs.
func (c Client) Doctor(ctx context.Context, req DoctorRequest) (doctor.Report, error) {
	raw, err := json.Marshal(req)
	if err != nil {
		return doctor.Report{}, fmt.Errorf("encode doctor request: %w", err)
	}
	resp, err := c.Call(ctx, Request{Op: OpDoctor, Doctor: raw, Timeout: 12 * (req.Timeout + req.NetTimeout), Debug: req.Debug})
	if err != nil {
		return doctor.Report{}, err
	}
	var a DoctorAnswer
	if err := json.Unmarshal(resp.Doctor, &a); err != nil || len(a.Checks) == 0 {
		return doctor.Report{}, protocolError("%s gave no doctor report", BinaryName)
	}
	return a.Report(), nil
}

// limitWriter fails once more than left bytes were written.
type limitWriter struct {
	w    io.Writer
	left int
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if len(p) > l.left {
		return 0, errors.New("answer too large")
	}
	l.left -= len(p)
	return l.w.Write(p)
}
