package helper

import (
	"errors"
	"fmt"
)

// Exit codes, as DESIGN.md fixes them.
const (
	exitOK      = 0
	exitRuntime = 1 // network, service, storage
	exitUsage   = 2 // bad flags, env, config or input
	exitAuth    = 3 // AWS credentials or permissions
)

// cliError carries the exit code and a hint for the user. It is created where the
// cause is known and classified once, at the edge, by exitCode.
type cliError struct {
	code int
	err  error
	hint string
}

func (e *cliError) Error() string { return e.err.Error() }
func (e *cliError) Unwrap() error { return e.err }

// Code and Hint let errors from other packages (awsca) carry their own
// classification without importing this one.
type coded interface {
	ExitCode() int
	Hint() string
}

func usageErr(hint, format string, args ...any) error {
	return &cliError{code: exitUsage, err: fmt.Errorf(format, args...), hint: hint}
}

func runtimeErr(hint string, err error) error {
	return &cliError{code: exitRuntime, err: err, hint: hint}
}

// classify returns the exit code and hint for err. Unknown errors are runtime failures.
func classify(err error) (int, string) {
	if err == nil {
		return exitOK, ""
	}
	var st exitStatus
	if errors.As(err, &st) {
		return int(st), ""
	}
	var ce *cliError
	if errors.As(err, &ce) {
		return ce.code, ce.hint
	}
	var c coded
	if errors.As(err, &c) {
		return c.ExitCode(), c.Hint()
	}
	return exitRuntime, ""
}

// exitStatus passes a child's exit code through without printing anything.
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }
