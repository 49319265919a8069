// Package command is the ca-helper command line: the urfave/cli wiring, one
// file per command, flags and output. It is the only package that imports
// urfave/cli; targets come from package target, tokens from package tokens.
package command

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/awsproc"
	"github.com/ca-helper/ca-helper/helper/doctor"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/interrupt"
	"github.com/ca-helper/ca-helper/helper/tokens"
)

// Build information, set with -ldflags -X by install.sh.
var (
	version = "dev"
	commit  = ""
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
}

// OS is the System of this process, with AWS calls going to ca-helper-aws.
func OS() System {
	return System{AWS: procAWS{awsproc.Client{Stderr: os.Stderr}}, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Getenv: os.Getenv, Environ: os.Environ, Getwd: os.Getwd, Now: time.Now}
}

// env is a command's view of its System.
type env struct {
	aws            AWS
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	environ        func() []string
	getwd          func() (string, error)
	now            func() time.Time
	debug          bool
}

// home is the user's home directory as os.UserHomeDir finds it, through getenv.
func (e *env) home() string { return e.getenv(homeVar()) }

func homeVar() string {
	if runtime.GOOS == "windows" {
		return "USERPROFILE"
	}
	return "HOME"
}

func (e *env) warn(msg string) { fmt.Fprintf(e.stderr, "ca-helper: warning: %s\n", msg) }

func (e *env) debugf(format string, args ...any) {
	if e.debug {
		fmt.Fprintf(e.stderr, "ca-helper: debug: "+format+"\n", args...)
	}
}

// Run runs the CLI with args (args[0] is the program name) in sys and returns
// the exit code.
func Run(ctx context.Context, sys System, args []string) int {
	e := &env{aws: sys.AWS, stdin: sys.Stdin, stdout: sys.Stdout, stderr: sys.Stderr,
		getenv: sys.Getenv, environ: sys.Environ, getwd: sys.Getwd, now: sys.Now}
	args = rewriteArgs(args)
	app := newApp(e)
	err := app.RunContext(ctx, args)
	if code, ok := interrupt.Code(ctx, err); ok {
		fmt.Fprintln(e.stderr, "ca-helper: error: interrupted")
		return code
	}
	code, hint := failure.Classify(err)
	var st failure.Status
	if err != nil && !errors.As(err, &st) {
		fmt.Fprintf(e.stderr, "ca-helper: error: %s\n", failure.OneLine(err.Error()))
		if hint != "" {
			fmt.Fprintf(e.stderr, "ca-helper: hint: %s\n", hint)
		}
	}
	return code
}

// rewriteArgs maps the ways other tools invoke a helper onto our commands: git
// runs git-credential-codeartifact ACTION, Bazel runs
// bazel-credential-codeartifact get, Cargo runs PROVIDER --cargo-plugin.
func rewriteArgs(args []string) []string {
	if len(args) == 0 {
		return args
	}
	base := strings.TrimSuffix(args[0][strings.LastIndexAny(args[0], `/\`)+1:], ".exe")
	switch {
	case base == "git-credential-codeartifact":
		return append([]string{args[0], "credential"}, args[1:]...)
	case base == "bazel-credential-codeartifact":
		return append([]string{args[0], "bazel-credential"}, args[1:]...)
	case len(args) >= 2 && args[1] == "--cargo-plugin":
		return append([]string{args[0], "cargo-credential"}, args[1:]...)
	}
	return args
}

func newApp(e *env) *cli.App {
	app := &cli.App{
		Name:                 "ca-helper",
		Usage:                "hand out AWS CodeArtifact tokens, cached until shortly before they expire",
		Version:              versionString(),
		HideVersion:          true,
		EnableBashCompletion: true,
		Reader:               e.stdin,
		Writer:               e.stdout,
		ErrWriter:            e.stderr,
		ExitErrHandler:       func(*cli.Context, error) {},
		OnUsageError:         onUsageError,
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return failure.Usagef("run `ca-helper --help` for the list of commands", "unknown command %q", failure.Printable(c.Args().First()))
			}
			return cli.ShowAppHelp(c)
		},
		Commands: []*cli.Command{
			getCommand(e),
			eraseCommand(e),
			statusCommand(e),
			execCommand(e),
			settingsCommand(e),
			policyCommand(e),
			doctorCommand(e),
			credentialCommand(e),
			cargoCommand(e),
			bazelCommand(e),
			versionCommand(e),
		},
	}
	for _, cmd := range app.Commands {
		cmd.OnUsageError = onUsageError
		withEnvDefaults(cmd, e.getenv)
	}
	return app
}

func onUsageError(_ *cli.Context, err error, _ bool) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		msg = "unknown flag --" + strings.TrimPrefix(name, "-")
	}
	return failure.Usagef("run with --help to see the flags", "%s", msg)
}

// AWS is what commands ask of AWS: tokens and endpoints (package tokens) and
// the checks of `doctor`, which need the SDK. awsproc.Client runs them all in
// ca-helper-aws (procAWS); command tests use in-process fakes.
type AWS interface {
	tokens.AWS
	Doctor(ctx context.Context, req doctor.Request) (doctor.Report, error)
}

// procAWS is awsproc.Client speaking doctor's request and answer types.
type procAWS struct{ awsproc.Client }

var _ AWS = procAWS{}

// Doctor runs the checks in ca-helper-aws. Every check is bounded by
// req.Timeout or req.NetTimeout; the budget only stops a process that hangs.
func (p procAWS) Doctor(ctx context.Context, req doctor.Request) (doctor.Report, error) {
	raw, err := json.Marshal(req)
	if err != nil {
		return doctor.Report{}, fmt.Errorf("encode doctor request: %w", err)
	}
	out, err := p.Client.Doctor(ctx, raw, 12*(req.Timeout+req.NetTimeout))
	if err != nil {
		return doctor.Report{}, err
	}
	var a doctor.Answer
	if err := json.Unmarshal(out, &a); err != nil || len(a.Checks) == 0 {
		return doctor.Report{}, failure.Wrap(failure.Runtime, "reinstall with ./install.sh so ca-helper and ca-helper-aws match",
			fmt.Errorf("%s gave no doctor report", awsproc.BinaryName))
	}
	return a.Report(), nil
}
