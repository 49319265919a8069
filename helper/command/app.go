// Package command is the ca-helper command line: the urfave/cli wiring, one
// file per command, flags and output. It is the only package that imports
// urfave/cli; targets come from package target, tokens from package tokens.
package command

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/awsproc"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/interrupt"
	"github.com/ca-helper/ca-helper/helper/tokens"
)

// Build information, set with -ldflags -X by install.sh.
var (
	version = "dev"
	commit  = ""
)

// env is what a command may touch of the outside world.
type env struct {
	aws            tokens.AWS
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
func RunWith(ctx context.Context, aws tokens.AWS, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{aws: aws, stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv, now: time.Now}
	args = rewriteArgs(args)
	unsetEmptyOptions()
	app := newApp(e)
	err := app.RunContext(ctx, args)
	if code, ok := interrupt.Code(ctx, err); ok {
		fmt.Fprintln(stderr, "ca-helper: error: interrupted")
		return code
	}
	code, hint := failure.Classify(err)
	var st failure.Status
	if err != nil && !errors.As(err, &st) {
		fmt.Fprintf(stderr, "ca-helper: error: %s\n", failure.OneLine(err.Error()))
		if hint != "" {
			fmt.Fprintf(stderr, "ca-helper: hint: %s\n", hint)
		}
	}
	return code
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
