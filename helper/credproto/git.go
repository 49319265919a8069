package credproto

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// gitRequest is the part of a git credential request that decides the answer.
type gitRequest struct {
	protocol string
	host     string // lower-cased, with ":port" if git sent one
}

// Git runs one git credential helper action ("get", "store", "erase") over r
// and w, as gitcredentials(7) and git-credential(1) describe it:
//
//   - get: for protocol=https and a host lookup accepts, writes
//     "username=aws\npassword=TOKEN\npassword_expiry_utc=EPOCH\n"; for
//     anything else writes nothing, which git reads as "not mine".
//   - erase: calls erase for an https host; "not mine" is not an error.
//   - store: reads and discards the request; tokens are never stored from git.
//   - any other action: ignored like store. gitcredentials(7): "If a helper
//     receives any other operation, it should silently ignore the request.
//     This leaves room for future operations to be added."
//
// Malformed input (a NUL byte, a line without "=", a line over 4 KiB, more
// than 64 KiB in all) is an error wrapping ErrBadInput, and nothing is written.
func Git(ctx context.Context, action string, r io.Reader, w io.Writer, lookup Lookup, erase Eraser) error {
	if action != "get" && action != "erase" {
		if _, err := io.Copy(io.Discard, io.LimitReader(r, maxInput)); err != nil {
			return fmt.Errorf("read request: %w", err)
		}
		return nil
	}
	req, err := readGit(r)
	if err != nil {
		return err
	}
	if req.protocol != "https" || req.host == "" {
		return nil
	}
	if action == "erase" {
		_, err := erase(ctx, req.host)
		return err
	}
	token, expires, ok, err := fetch(ctx, lookup, req.host)
	if err != nil || !ok {
		return err
	}
	answer := "username=aws\npassword=" + token + "\n"
	if !expires.IsZero() {
		answer += "password_expiry_utc=" + strconv.FormatInt(expires.Unix(), 10) + "\n"
	}
	_, err = io.WriteString(w, answer)
	return err
}

// readGit reads key=value lines up to a blank line or the end of input. Unknown
// keys are skipped; a repeated key keeps its last value, as git itself does.
// A trailing "\r" is dropped, as git's strbuf_getline does.
func readGit(r io.Reader) (gitRequest, error) {
	br := bufio.NewReaderSize(io.LimitReader(r, maxInput+1), maxLine+2)
	var req gitRequest
	total := 0
	for {
		raw, err := br.ReadSlice('\n')
		total += len(raw)
		switch {
		case total > maxInput:
			return gitRequest{}, badInput("request longer than %d bytes", maxInput)
		case errors.Is(err, bufio.ErrBufferFull):
			return gitRequest{}, badInput("line longer than %d bytes", maxLine)
		case err != nil && err != io.EOF:
			return gitRequest{}, fmt.Errorf("read request: %w", err)
		}
		line := strings.TrimSuffix(strings.TrimSuffix(string(raw), "\n"), "\r")
		if line == "" {
			return req, nil // blank line or end of input
		}
		if len(line) > maxLine {
			return gitRequest{}, badInput("line longer than %d bytes", maxLine)
		}
		if strings.IndexByte(line, 0) >= 0 {
			return gitRequest{}, badInput("NUL byte in request")
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			return gitRequest{}, badInput("line without '=' in request")
		}
		switch key {
		case "protocol":
			req.protocol = value
		case "host":
			req.host = strings.ToLower(value)
		}
		if err == io.EOF {
			return req, nil
		}
	}
}
