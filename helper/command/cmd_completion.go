package command

import (
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/tokens"
	"github.com/ca-helper/ca-helper/helper/tools"
)

// completionShells are the shells `ca-helper completion` writes a script for.
var completionShells = []string{"bash", "zsh", "fish", "powershell"}

func completionCommand(e *cmdenv.Env) *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print the shell completion script for bash, zsh, fish or powershell",
		UsageText: "ca-helper completion bash|zsh|fish|powershell\n\nsource <(ca-helper completion bash)    # or see the README for where each shell loads it from",
		Action: func(c *cli.Context) error {
			shell := c.Args().First()
			if c.NArg() != 1 || !slices.Contains(completionShells, shell) {
				return failure.Usagef("run `ca-helper completion bash`, zsh, fish or powershell",
					"completion wants one shell: %s", strings.Join(completionShells, ", "))
			}
			_, err := fmt.Fprint(e.Stdout, completionScripts[shell])
			return err
		},
	}
}

// completeCommand is what the completion scripts run: `ca-helper __complete
// --current=WORD WORDS...` prints, one a line, what may replace WORD after
// WORDS (the words typed after ca-helper). It reads the command tree only:
// no command runs, no token is fetched, no file is read. The word being
// completed comes as --current=WORD because PowerShell drops an empty
// argument to a native program.
func completeCommand(e *cmdenv.Env, app *cli.App) *cli.Command {
	return &cli.Command{
		Name:            "__complete",
		Hidden:          true,
		HideHelp:        true,
		SkipFlagParsing: true,
		Action: func(c *cli.Context) error {
			args := c.Args().Slice()
			if len(args) == 0 || !strings.HasPrefix(args[0], "--current=") {
				return failure.Usagef("this command is for the completion scripts of `ca-helper completion`", "__complete wants --current=WORD first")
			}
			cur := strings.TrimPrefix(args[0], "--current=")
			for _, w := range complete(app, args[1:], cur) {
				if _, err := fmt.Fprintln(e.Stdout, w); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

// flagValues are the values worth offering after a flag, by flag name.
var flagValues = map[string][]string{
	"cache": {"auto", "keyring", "file", "none"},
	"shell": tokens.Shells,
	"trust": {"ec2", "ecs", "codebuild", "github-actions"},
	"tool":  tools.Names(false),
	// endpoint's
	"package-format": tools.Formats,
	"endpoint-type":  {"ipv4", "dualstack"},
}

// complete lists what may replace cur after words: the subcommands of the
// command words name, its flags when cur starts with "-", the values of the
// flag before cur. After "--" (exec's command) it offers nothing, so the
// shell completes file names.
func complete(app *cli.App, words []string, cur string) []string {
	var cmd *cli.Command
	cmds, flags := app.Commands, app.VisibleFlags()
	var valueOf cli.Flag // the flag whose value the next word is
	positional := false
	for _, w := range words {
		switch {
		case valueOf != nil:
			valueOf = nil
		case w == "--":
			return nil
		case strings.HasPrefix(w, "-"):
			if f := findFlag(flags, strings.TrimLeft(w, "-")); f != nil && takesValue(f) && !strings.Contains(w, "=") {
				valueOf = f
			}
		case !positional && findCommand(cmds, w) != nil:
			cmd = findCommand(cmds, w)
			cmds, flags = cmd.Subcommands, cmd.VisibleFlags()
		default:
			positional = true
		}
	}
	var candidates []string
	switch {
	case valueOf != nil:
		candidates = valuesOf(cmd, valueOf.Names()[0])
	case strings.HasPrefix(cur, "-"):
		candidates = append(flagNames(flags), "--help")
	case cmd != nil && cmd.Name == "completion" && !positional:
		candidates = completionShells
	case !positional:
		for _, c := range cmds {
			if !c.Hidden {
				candidates = append(candidates, c.Name) // no aliases: "h" is noise in a menu
			}
		}
	}
	var out []string
	for _, c := range candidates {
		if strings.HasPrefix(c, cur) && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// valuesOf are the values of cmd's flag name.
func valuesOf(cmd *cli.Command, name string) []string {
	if name != "format" {
		return flagValues[name]
	}
	if cmd != nil && cmd.Name == "get" {
		return []string{"token", "json", "env"}
	}
	return []string{"text", "json"}
}

func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if !c.Hidden && c.HasName(name) {
			return c
		}
	}
	return nil
}

func findFlag(flags []cli.Flag, name string) cli.Flag {
	name, _, _ = strings.Cut(name, "=")
	for _, f := range flags {
		if slices.Contains(f.Names(), name) {
			return f
		}
	}
	return nil
}

func takesValue(f cli.Flag) bool {
	v, ok := f.(interface{ TakesValue() bool })
	return ok && v.TakesValue()
}
