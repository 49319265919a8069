// Package helper is the ca-helper command line: target resolution, the token
// service (cache, lock, fetch, store) and the integrations built on it.
package helper

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/awsproc"
)

// Build information, set with -ldflags -X by install.sh.
var (
	version = "dev"
	commit  = ""
)

// env is what a command may touch of the outside world.
type env struct {
	aws            AWS
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time
	debug          bool
}

func (e *env) warn(msg string) { fmt.Fprintf(e.stderr, "ca-helper: warning: %s\n", msg) }

func (e *env) debugf(format string, args ...any) {
	if e.debug {
		fmt.Fprintf(e.stderr, "ca-helper: debug: "+format+"\n", args...)
	}
}

// Run runs the CLI with args (args[0] is the program name) and returns the exit
// code. AWS calls go to the ca-helper-aws process.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return RunWith(ctx, awsproc.Client{Stderr: stderr}, args, stdin, stdout, stderr)
}

// RunWith is Run with the given AWS implementation.
func RunWith(ctx context.Context, aws AWS, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{aws: aws, stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv, now: time.Now}
	args = rewriteArgs(args)
	unsetEmptyOptions()
	app := newApp(e)
	err := app.RunContext(ctx, args)
	if code, ok := interruptedCode(ctx, err); ok {
		fmt.Fprintln(stderr, "ca-helper: error: interrupted")
		return code
	}
	code, hint := classify(err)
	var st exitStatus
	if err != nil && !errors.As(err, &st) {
		fmt.Fprintf(stderr, "ca-helper: error: %s\n", oneLine(err.Error()))
		if hint != "" {
			fmt.Fprintf(stderr, "ca-helper: hint: %s\n", hint)
		}
	}
	return code
}

// interrupted is the cause of a context that SignalContext cancelled.
type interrupted struct{ sig os.Signal }

func (i interrupted) Error() string { return i.sig.String() + " received" }

// SignalContext returns a context that SIGINT, SIGTERM or SIGHUP cancels,
// with the signal as its cause, so that Run stops what it is doing, releases
// its lock and ends with 128+n as shells do. After the first signal the
// default action is back: a second Ctrl-C kills at once.
//
// The handler is installed only when a command starts slow work (see
// catchSignals): a cached get takes about a millisecond, holds no lock and
// writes nothing, so the default action (die) is right for it, and
// signal.Notify would cost it an extra thread and a third of its run time.
func SignalContext(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(parent)
	l := &lazySignals{}
	l.arm = func() {
		l.sigs = make(chan os.Signal, 1)
		signal.Notify(l.sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
		go func() {
			select {
			case s := <-l.sigs:
				signal.Stop(l.sigs)
				cancel(interrupted{s})
			case <-ctx.Done():
			}
		}()
	}
	stop := func() {
		l.once.Do(func() {}) // no arming after this
		if l.sigs != nil {
			signal.Stop(l.sigs)
		}
		cancel(context.Canceled)
	}
	return context.WithValue(ctx, signalsKey{}, l), stop
}

type signalsKey struct{}

// lazySignals is SignalContext's handler, installed at most once.
type lazySignals struct {
	once sync.Once
	arm  func()
	sigs chan os.Signal
}

// catchSignals makes the signals of a SignalContext cancel ctx from now on;
// commands call it before they wait on a lock, the network or a child. It
// does nothing for a context SignalContext did not make.
func catchSignals(ctx context.Context) {
	if l, ok := ctx.Value(signalsKey{}).(*lazySignals); ok {
		l.once.Do(l.arm)
	}
}

// interruptedCode is the exit code of a command that failed because a signal
// cancelled ctx: 128+n (130 for SIGINT, 143 for SIGTERM). A command that
// finished anyway, or passes on its child's status (exec), keeps its code.
func interruptedCode(ctx context.Context, err error) (int, bool) {
	var i interrupted
	var st exitStatus
	if err == nil || errors.As(err, &st) || !errors.As(context.Cause(ctx), &i) {
		return 0, false
	}
	if n, ok := i.sig.(syscall.Signal); ok {
		return 128 + int(n), true
	}
	return 128 + 2, true
}

// unsetEmptyOptions makes an exported but empty CA_HELPER_* variable mean "unset",
// as it does for every other variable; urfave/cli would read it as an empty value.
func unsetEmptyOptions() {
	for _, kv := range os.Environ() {
		if name, value, _ := strings.Cut(kv, "="); value == "" && strings.HasPrefix(name, "CA_HELPER_") {
			os.Unsetenv(name)
		}
	}
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
				return usageErr("run `ca-helper --help` for the list of commands", "unknown command %q", printable(c.Args().First()))
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
	}
	return app
}

func onUsageError(_ *cli.Context, err error, _ bool) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		msg = "unknown flag --" + strings.TrimPrefix(name, "-")
	}
	return usageErr("run with --help to see the flags", "%s", msg)
}

// oneLine keeps an error message to a single line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
