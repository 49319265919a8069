// Package cmdenv is what every ca-helper command shares: the System it runs
// in (environment, clock, stdio, AWS), the flags that name a target and the
// rules that resolve them, and the CA_HELPER_* defaults of flags.
package cmdenv

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"github.com/ca-helper/ca-helper/helper/awsproc"
	"github.com/ca-helper/ca-helper/helper/doctor"
	"github.com/ca-helper/ca-helper/helper/safetext"
	"github.com/ca-helper/ca-helper/helper/tokens"
)

// System is everything a command may use of the outside world. main builds it
// from the process with OS; a test builds one with only what it needs, so no
// test depends on the environment of the shell that runs it.
type System struct {
	AWS            AWS // ca-helper-aws, or a fake
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string // "" means unset, as for every variable ca-helper reads
	Environ        func() []string     // what a child started by exec inherits
	Getwd          func() (string, error)
	Now            func() time.Time
	Executable     func() (string, error) // this binary's path (os.Executable); nil if unknown
}

// OS is the System of this process, with AWS calls going to ca-helper-aws,
// whose stderr passes through safetext like ours.
func OS() System {
	return System{AWS: awsproc.Client{Stderr: safetext.NewWriter(os.Stderr)}, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Getenv: os.Getenv, Environ: os.Environ, Getwd: os.Getwd, Now: time.Now, Executable: os.Executable}
}

// Env is a command's view of its System, with the run's --debug.
type Env struct {
	System
	Debug bool
}

// Home is the user's home directory as os.UserHomeDir finds it, through getenv.
func (e *Env) Home() string { return e.Getenv(homeVar()) }

func homeVar() string {
	if runtime.GOOS == "windows" {
		return "USERPROFILE"
	}
	return "HOME"
}

// Warn prints a warning line on stderr. The message often wraps an error
// from elsewhere (a keyring, a file): it stays one line (safetext.Line).
func (e *Env) Warn(msg string) { fmt.Fprintf(e.Stderr, "ca-helper: warning: %s\n", safetext.Line(msg)) }

// Debugf prints a debug line on stderr with --debug, one line like Warn's.
func (e *Env) Debugf(format string, args ...any) {
	if e.Debug {
		fmt.Fprintf(e.Stderr, "ca-helper: debug: %s\n", safetext.Line(fmt.Sprintf(format, args...)))
	}
}

// TokenEnv is what the token service takes from this command.
func (e *Env) TokenEnv() tokens.Env {
	return tokens.Env{AWS: debugAWS{e}, Getenv: e.Getenv, Now: e.Now, Warn: e.Warn, Debugf: e.Debugf}
}

// AWS is what commands ask of AWS: tokens and endpoints (package tokens) and
// the checks of `doctor`, which need the SDK. awsproc.Client runs them all in
// ca-helper-aws; command tests use in-process fakes.
type AWS interface {
	tokens.AWS
	Doctor(ctx context.Context, req awsproc.DoctorRequest) (doctor.Report, error)
}

var _ AWS = awsproc.Client{}
