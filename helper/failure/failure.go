// Package failure is how every part of ca-helper says what went wrong: the
// exit codes, one error type carrying a code and a hint, and the way to turn
// outside text (a service's message, a bad value) into one line, made safe
// by package safetext.
package failure

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ca-helper/ca-helper/helper/safetext"
)

// Exit codes of every ca-helper command and of ca-helper-aws.
const (
	OK      = 0
	Runtime = 1 // network, service, storage
	Usage   = 2 // bad flags, env, config or input
	Auth    = 3 // AWS credentials or permissions
)

// Error carries the exit code and a hint for the user. It is made where the
// cause is known and classified once, at the edge, by Classify.
type Error struct {
	Code int
	Err  error
	Hint string
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Coded is an error of another shape (the AWS helper's answer, an SDK
// failure) that knows its own exit code and hint.
type Coded interface {
	ExitCode() int
	Hint() string
}

// Usagef is a usage error (exit 2) with a hint.
func Usagef(hint, format string, args ...any) error {
	return &Error{Code: Usage, Err: fmt.Errorf(format, args...), Hint: hint}
}

// Wrap gives err an exit code and a hint.
func Wrap(code int, hint string, err error) error {
	return &Error{Code: code, Err: err, Hint: hint}
}

// Status passes a child's exit code through without printing anything.
type Status int

func (s Status) Error() string { return fmt.Sprintf("exit status %d", int(s)) }

// Classify returns the exit code and hint for err. Unknown errors are
// runtime failures. An error never exits 0: a script would take it for
// success. A Coded error comes from code that may not be ours (the AWS
// helper is a separate program), so only the codes 1-3 pass from it.
func Classify(err error) (int, string) {
	if err == nil {
		return OK, ""
	}
	var st Status
	if errors.As(err, &st) {
		return int(st), ""
	}
	var fe *Error
	if errors.As(err, &fe) {
		if fe.Code == OK {
			return Runtime, fe.Hint
		}
		return fe.Code, fe.Hint
	}
	var c Coded
	if errors.As(err, &c) {
		return Known(c.ExitCode()), c.Hint()
	}
	return Runtime, ""
}

// Known returns code if it is one of the failure codes 1-3, else Runtime:
// what an error from outside may exit with.
func Known(code int) int {
	switch code {
	case Runtime, Usage, Auth:
		return code
	}
	return Runtime
}

// OneLine folds outside text to a single line of single spaces, so a message
// from a service or a file can never add lines to what ca-helper prints, and
// makes the rest safe with safetext.Line: a terminal control shows as an
// escape such as \x1b, a URL loses its secrets. A message longer than
// MaxMessage bytes loses the middle of its longest words, then of itself
// (safetext.Shorten): an ARN keeps its region and its resource.
func OneLine(s string) string {
	return safetext.Shorten(safetext.Line(strings.Join(strings.Fields(s), " ")), MaxMessage)
}

// MaxMessage bounds a message: a service's message quoting two ARNs fits.
const MaxMessage = 1024

// Printable shortens a bad value for an error message, keeping both its
// ends; callers quote it with %q, which escapes it, so the message stays
// one line.
func Printable(s string) string {
	return safetext.Middle(s, 64)
}
