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

// Build information, set with -ldflags -X by install.sh and scripts/release;
// date is the commit's time, UTC RFC 3339.
var (
	version = "dev"
	commit  = ""
	date    = ""
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
	err := recovered(func() error { return app.RunContext(ctx, args) })
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
	case len(args) >= 3 && (args[1] == "help" || args[1] == "h"):
		// `help CMD...` is `CMD... --help`: the same help, and a mistyped
		// CMD gets the same error and suggestion as when it is run.
		return append(append([]string{args[0]}, args[2:]...), "--help")
	}
	return args
}

func init() {
	// urfave/cli's version flag and printer are package variables: set once,
	// here, not per app, so parallel tests do not race on them.
	cli.VersionFlag = &cli.BoolFlag{Name: "version", Aliases: []string{"v"}, Usage: "print the version and exit, as the version command does"}
	cli.VersionPrinter = func(c *cli.Context) { fmt.Fprintln(c.App.Writer, versionString()) }
}

func newApp(e *cmdenv.Env) *cli.App {
	app := &cli.App{
		Name:  "ca-helper",
		Usage: "hand out AWS CodeArtifact tokens, cached until shortly before they expire",
		// The version is looked up only when printed: not on every get.
		Version:              version,
		EnableBashCompletion: true,
		Reader:               e.Stdin,
		Writer:               e.Stdout,
		ErrWriter:            e.Stderr,
		ExitErrHandler:       func(*cli.Context, error) {},
		OnUsageError:         onUsageError,
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return unknownCommand(c, "ca-helper", c.App.Commands)
			}
			return cli.ShowAppHelp(c)
		},
		Commands: []*cli.Command{
			getCommand(e),
			eraseCommand(e),
			statusCommand(e),
			execCommand(e),
			setupcmd.Settings(e),
			setupcmd.Setup(e),
			setupcmd.Endpoint(e),
			setupcmd.Maven(e),
			setupcmd.Policy(e),
			setupcmd.Doctor(e),
			credentialCommand(e),
			cargoCommand(e),
			bazelCommand(e),
			versionCommand(e),
			completionCommand(e),
		},
	}
	for _, cmd := range app.Commands {
		cmdenv.WithEnvDefaults(cmd, e.Getenv)
		checkArgs(cmd, "ca-helper "+cmd.Name)
	}
	app.Commands = append(app.Commands, completeCommand(e, app))
	return app
}

// takesNoArgs are the commands that read flags only: an argument given to
// one is a mistake (a value without its flag, a misplaced word) to report,
// not to ignore. exec takes its command, the credential helpers their
// action, completion its shell; those check their arguments themselves.
var takesNoArgs = map[string]bool{
	"get": true, "erase": true, "status": true, "settings": true, "policy": true, "doctor": true, "version": true,
	"setup": true, "endpoint": true,
}

// checkArgs sets cmd's and its subcommands' usage-error handler, refuses
// arguments to a command that takes none, and reports an unknown subcommand.
func checkArgs(cmd *cli.Command, path string) {
	cmd.OnUsageError = onUsageError
	for _, sub := range cmd.Subcommands {
		checkArgs(sub, path+" "+sub.Name)
	}
	switch action := cmd.Action; {
	case len(cmd.Subcommands) > 0 && action == nil:
		cmd.Action = func(c *cli.Context) error {
			if c.NArg() > 0 {
				return unknownCommand(c, path, cmd.Subcommands)
			}
			return cli.ShowSubcommandHelp(c)
		}
	case takesNoArgs[cmd.Name]:
		cmd.Action = func(c *cli.Context) error {
			if c.NArg() > 0 {
				return failure.Usagef(fmt.Sprintf("`%s` takes no arguments; run `%s --help`", path, path),
					"unexpected argument %q", failure.Printable(c.Args().First()))
			}
			return action(c)
		}
	}
}

// unknownCommand is the usage error for a word that names no command,
// with the command it most likely meant.
func unknownCommand(c *cli.Context, path string, cmds []*cli.Command) error {
	word := c.Args().First()
	hint := fmt.Sprintf("run `%s --help` for the list of commands", path)
	if s := closest(word, commandNames(cmds)); s != "" {
		hint = fmt.Sprintf("did you mean %s?", s)
	}
	return failure.Usagef(hint, "unknown command %q", failure.Printable(word))
}

// onUsageError words urfave/cli's flag errors as ours: an unknown flag with
// the flag it most likely meant.
func onUsageError(c *cli.Context, err error, _ bool) error {
	msg := err.Error()
	hint := "run with --help to see the flags"
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		name = strings.TrimPrefix(name, "-")
		msg = "unknown flag " + failure.Printable(dashed(name))
		flags := c.App.VisibleFlags()
		if c.Command != nil && c.Command.Name != "" {
			flags = c.Command.VisibleFlags()
		}
		if s := closest(dashed(name), flagNames(flags)); s != "" {
			hint = fmt.Sprintf("did you mean %s?", s)
		}
	}
	return failure.Usagef(hint, "%s", msg)
}
