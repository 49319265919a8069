package doctor

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/ca-helper/ca-helper/helper/failure"
)

// Report is the outcome of every check, in order.
type Report struct {
	OK     bool     `json:"ok"`
	Checks []Result `json:"checks"`
}

// ExitCode is 0 when nothing failed, else the exit code of the first failure.
func (r Report) ExitCode() int {
	for _, c := range r.Checks {
		if c.Status == Fail {
			if c.Code == 0 {
				return failure.Runtime
			}
			return c.Code
		}
	}
	return 0
}

// WriteText prints one line per check, and an indented fix under each
// failure or warning:
//
//	ok    credentials   env (AWS_ACCESS_KEY_ID AKID…TEST)
//	fail  permissions   access denied: …
//	      fix: allow codeartifact:GetAuthorizationToken on …
func (r Report) WriteText(w io.Writer) error {
	for _, c := range r.printable() {
		if _, err := fmt.Fprintf(w, "%-6s%-14s%s\n", c.Status, c.Name, c.Detail); err != nil {
			return err
		}
		if c.Fix != "" && (c.Status == Fail || c.Status == Warn) {
			if _, err := fmt.Fprintf(w, "%-6sfix: %s\n", "", c.Fix); err != nil {
				return err
			}
		}
	}
	return nil
}

// WriteJSON prints {"ok":bool,"checks":[{"name","status","detail","fix"}]}
// and a newline.
func (r Report) WriteJSON(w io.Writer) error {
	r.Checks = r.printable()
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode report: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// printable is the checks as they may be printed: every text folded to one
// line and made safe (failure.OneLine), whichever process ran the check.
func (r Report) printable() []Result {
	checks := make([]Result, len(r.Checks))
	for i, c := range r.Checks {
		c.Detail, c.Fix = failure.OneLine(c.Detail), failure.OneLine(c.Fix)
		checks[i] = c
	}
	return checks
}
