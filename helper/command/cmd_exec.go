package command

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/awsproc"
	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/names"
	"github.com/ca-helper/ca-helper/helper/safetext"
	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/helper/tokens"
	"github.com/ca-helper/ca-helper/helper/tools"
)

func execCommand(e *cmdenv.Env) *cli.Command {
	return &cli.Command{
		Name:      "exec",
		Usage:     "run a command with the token in its environment, never in its arguments",
		UsageText: "ca-helper exec [--env-var NAME] [--tool NAME] [target options] -- CMD [ARGS...]",
		Flags: append(append(cmdenv.TargetFlags(), cmdenv.TokenFlags()...),
			&cli.StringFlag{Name: "env-var", Value: "CODEARTIFACT_AUTH_TOKEN", Usage: "name of the variable that carries the token"},
			&cli.StringFlag{Name: "tool", Usage: "set the environment of this package manager (" + strings.Join(tools.Names(false), ", ") +
				"); default: the one CMD's name says, else only --env-var"}),
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return failure.Usagef("put the command after --, e.g. ca-helper exec -- mvn package", "no command to run")
			}
			name := c.String("env-var")
			if !names.EnvVar(name) {
				return failure.Usagef("use a name such as CODEARTIFACT_AUTH_TOKEN", "invalid environment variable name %q", failure.Printable(name))
			}
			tool, err := execTool(c.String("tool"), c.Args().First())
			if err != nil {
				return err
			}
			path, err := lookCommand(c.Args().First())
			if err != nil {
				return err
			}
			t, o, err := e.Resolve(c)
			if err != nil {
				return err
			}
			if tool, err = withRepository(e, tool, c.IsSet("tool"), t, name); err != nil {
				return err
			}
			environ, err := childEnviron(e, c.Context, tool, t, o, name)
			if err != nil {
				return err
			}
			return runChild(e, path, c.Args().Slice(), environ)
		},
	}
}

// execTool is the tool named by --tool, or else the one command is (npm,
// npx: npm); nil when neither names one, and exec sets --env-var alone.
func execTool(name, command string) (*tools.Tool, error) {
	if name == "" {
		if t, ok := tools.ForCommand(command); ok {
			return &t, nil
		}
		return nil, nil
	}
	t, ok := tools.Lookup(name)
	if !ok {
		return nil, failure.Usagef("use --tool "+strings.Join(tools.Names(false), " or ")+", or leave it out",
			"unknown tool %q", failure.Printable(name))
	}
	return &t, nil
}

// withRepository checks that a tool that needs the endpoint has a
// repository. A tool inferred from the command's name without one is
// dropped (nil), and the command gets the --env-var variable only, as
// before the tool was known; one named by --tool is a usage error.
func withRepository(e *cmdenv.Env, tool *tools.Tool, named bool, t target.Target, envVar string) (*tools.Tool, error) {
	if tool == nil || !(tool.NeedsEndpoint || tool.NeedsRepository) || t.Repository != "" {
		return tool, nil
	}
	if named {
		return nil, failure.Usagef("pass --repository NAME (or a repository --url, CODEARTIFACT_REPOSITORY, a config target's repository)",
			"%s needs the repository: ca-helper gives it the repository's URL or name", tool.Name)
	}
	e.Debugf("no repository given: %s gets %s only", tool.Name, envVar)
	return nil, nil
}

// childEnviron is exec's environment with the token added: in the
// --env-var variable, and in the variables of the tool, if any (after
// looking up the endpoint when the tool needs it).
func childEnviron(e *cmdenv.Env, ctx context.Context, tool *tools.Tool, t target.Target, o target.Options, envVar string) ([]string, error) {
	entry, err := tokens.Get(ctx, e.TokenEnv(), t, o, false)
	if err != nil {
		return nil, err
	}
	vars := []string{envVar + "=" + entry.Token.Reveal()}
	if tool != nil {
		v := tools.Vars{Token: entry.Token.Reveal(), EnvVar: envVar, Name: t.Repository}
		if tool.NeedsEndpoint {
			q := cmdenv.EndpointQuery{Target: t, Timeout: o.Timeout, Format: tool.Format}
			if ep, ok := e.KnownEndpoint(q); ok {
				v.Endpoint = ep // no AWS call: a cached exec stays as fast as get
				e.Debugf("the %s endpoint of repository %s is %s (from the target, not asked of AWS)", q.Format, t.Repository, ep)
			} else if v.Endpoint, err = e.LookupEndpoint(ctx, q, e.AWS); err != nil {
				return nil, err
			}
		}
		more, err := tool.Env(v)
		if err != nil {
			return nil, failure.Wrap(failure.Runtime, awsproc.UnexpectedHint, fmt.Errorf("environment for %s: %w", tool.Name, err))
		}
		vars = append(vars, more...)
		e.Debugf("running the command as %s: setting %s", tool.Name, strings.Join(tools.VarNames(vars), ", "))
	}
	environ := e.Environ()
	for _, kv := range vars {
		k, v, _ := strings.Cut(kv, "=")
		environ = withVar(environ, k, v)
	}
	return environ, nil
}

// lookCommand finds the command as a shell would, with a shell's exit codes:
// 127 when there is no such command, 126 when the file is there but cannot be
// run (no execute permission, a directory).
func lookCommand(name string) (string, error) {
	path, err := exec.LookPath(name)
	if err == nil {
		return path, nil
	}
	shown := failure.Printable(name)
	switch {
	case errors.Is(err, syscall.EISDIR):
		return "", failure.Wrap(126, "name an executable file, not a directory", fmt.Errorf("command %q is a directory", shown))
	case errors.Is(err, fs.ErrPermission):
		return "", failure.Wrap(126, "check that the command is an executable file (chmod +x)", fmt.Errorf("command %q is not executable", shown))
	}
	return "", failure.Wrap(127, "check the command name and PATH", fmt.Errorf("command %q not found", shown))
}

// runChild runs the command with our stdio, forwards the signals a terminal or a
// CI runner sends, and returns its exit status (128+n after a signal, as shells do).
// The child's stderr is the terminal itself (safetext.Raw): its colours and
// progress are its own, and it must see a terminal where there is one.
func runChild(e *cmdenv.Env, path string, argv, environ []string) error {
	cmd := &exec.Cmd{Path: path, Args: argv, Env: environ, Stdin: e.Stdin, Stdout: e.Stdout, Stderr: safetext.Raw(e.Stderr)}
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, forwardedSignals...)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		return failure.Wrap(126, "check that the command is executable", fmt.Errorf("start %s: %w", argv[0], err))
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sigs:
				_ = cmd.Process.Signal(s)
			case <-done:
				return
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return failure.Wrap(failure.Runtime, "", fmt.Errorf("wait for %s: %w", argv[0], err))
	}
	return failure.Status(childExitCode(cmd.ProcessState))
}

// withVar returns environ with name set to value, replacing any earlier value.
func withVar(environ []string, name, value string) []string {
	out := make([]string, 0, len(environ)+1)
	for _, kv := range environ {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return append(out, name+"="+value)
}
