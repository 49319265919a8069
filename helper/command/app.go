// Package command is the ca-helper command line: the urfave/cli wiring, one
// file per command, flags and output. It is the only package that imports
// urfave/cli; targets come from package target, tokens from package tokens.
package command

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
	"github.com/ca-helper/ca-helper/helper/command/setupcmd"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/interrupt"
	"github.com/ca-helper/ca-helper/helper/safetext"
)

// System and OS are cmdenv's, for main and tests.
type System = cmdenv.System

// OS is the System of this process.
func OS() System { return cmdenv.OS() }

// Build information, set with -ldflags -X by install.sh.
var (
	version = "dev"
	commit  = ""
)

// Run runs the CLI with args (args[0] is the program name) in sys and returns
// the exit code.
func Run(ctx context.Context, sys System, args []string) int {
	// Every line on stderr, whoever formats it, goes through safetext: no
	// outside text reaches the terminal with a control or a URL secret in it.
	sys.Stderr = safetext.NewWriter(sys.Stderr)
	e := &cmdenv.Env{System: sys}
	args = rewriteArgs(args)
	app := newApp(e)
	err := app.RunContext(ctx, args)
	if code, ok := interrupt.Code(ctx, err); ok {
		fmt.Fprintln(e.Stderr, "ca-helper: error: interrupted")
		return code
	}
	code, hint := failure.Classify(err)
	var st failure.Status
	if err != nil && !errors.As(err, &st) {
		if hint == "" { // every failure says what to do next
			hint = fallbackHint
		}
		fmt.Fprintf(e.Stderr, "ca-helper: error: %s\n", failure.OneLine(err.Error()))
		fmt.Fprintf(e.Stderr, "ca-helper: hint: %s\n", safetext.Line(hint)) // it may come from ca-helper-aws: one line
	}
	return code
}

// fallbackHint is the hint of an error made without one.
const fallbackHint = "run again with --debug to see each step, or run `ca-helper doctor`"

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

func newApp(e *cmdenv.Env) *cli.App {
	app := &cli.App{
		Name:                 "ca-helper",
		Usage:                "hand out AWS CodeArtifact tokens, cached until shortly before they expire",
		Version:              versionString(),
		HideVersion:          true,
		EnableBashCompletion: true,
		Reader:               e.Stdin,
		Writer:               e.Stdout,
		ErrWriter:            e.Stderr,
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
			setupcmd.Settings(e),
			setupcmd.Maven(e),
			setupcmd.Policy(e),
			setupcmd.Doctor(e),
			credentialCommand(e),
			cargoCommand(e),
			bazelCommand(e),
			versionCommand(e),
		},
	}
	for _, cmd := range app.Commands {
		cmd.OnUsageError = onUsageError
		cmdenv.WithEnvDefaults(cmd, e.Getenv)
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
