package setupcmd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/awsproc"
	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/names"
	"github.com/ca-helper/ca-helper/helper/tools"
)

// setupInput is what one setup run was asked to do.
type setupInput struct {
	tool     tools.Tool
	config   tools.ConfigFile // the tool's, for the file at path
	query    cmdenv.EndpointQuery
	registry tools.Registry // Endpoint empty: ask GetRepositoryEndpoint
	path     string         // the tool's config file
	newMode  fs.FileMode    // of a new file: 0600 for the user's, 0644 for a project's (committed, no secret in it)
	dryRun   bool
}

// Setup is `ca-helper setup --tool NAME`: the tool's own config file made
// to name the repository and refer to the token's variable, never to hold
// the token.
func Setup(e *cmdenv.Env) *cli.Command {
	list := strings.Join(tools.Names(true), ", ")
	return &cli.Command{
		Name:  "setup",
		Usage: "point a package manager's own config (" + list + ") at the repository; the token itself is never written",
		UsageText: "ca-helper setup --tool " + strings.Join(tools.Names(true), "|") +
			" --repository REPO [target options] [--scope @SCOPE] [--registry NAME] [--project DIR] [--keyring] [--dry-run]",
		Flags: append(append(cmdenv.TargetFlags(), cmdenv.TimeoutFlag()),
			&cli.StringFlag{Name: "tool", Usage: "the package manager to set up: " + list},
			&cli.StringFlag{Name: "scope", Usage: "npm, pnpm, yarn: set the registry of this @scope only, not the default registry"},
			&cli.StringFlag{Name: "registry", Usage: "cargo: the registry's `NAME` in [registries.NAME] (default: the repository's name)"},
			&cli.StringFlag{Name: "project", Usage: "write the project's config in `DIR` (npm, pnpm: DIR/.npmrc, to commit; yarn: DIR/.yarnrc.yml; cargo: DIR/.cargo/config.toml; " +
				"uv: DIR/uv.toml or DIR/pyproject.toml; poetry: DIR/pyproject.toml, the current directory's by default; pip and twine have none) instead of the user's"},
			&cli.StringFlag{Name: "env-var", Value: "CODEARTIFACT_AUTH_TOKEN", Usage: "variable the config refers to; the token itself is never written"},
			&cli.BoolFlag{Name: "dry-run", Usage: "print the lines that would change to stdout and change nothing"},
			&cli.BoolFlag{Name: "keyring", Usage: "pip, uv: plain pip and uv get the token from keyring, through ca-helper's keyring backend (keyring-provider = subprocess)"},
			endpointTypeFlag(),
		),
		Action: func(c *cli.Context) error {
			in, err := readSetupInput(e, c)
			if err != nil {
				return err
			}
			return setup(e, c.Context, in, e.AWS)
		},
	}
}

func readSetupInput(e *cmdenv.Env, c *cli.Context) (setupInput, error) {
	name := c.String("tool")
	if name == "" {
		return setupInput{}, failure.Usagef("pass --tool "+strings.Join(tools.Names(true), " or "), "no tool given")
	}
	tool, ok := tools.Lookup(name)
	if !ok || tool.Config == nil {
		return setupInput{}, failure.Usagef("pass --tool "+strings.Join(tools.Names(true), " or "),
			"cannot set up tool %q", failure.Printable(name))
	}
	envVar := c.String("env-var")
	if !names.EnvVar(envVar) {
		return setupInput{}, failure.Usagef("use a name such as CODEARTIFACT_AUTH_TOKEN", "invalid environment variable name %q", failure.Printable(envVar))
	}
	scope := c.String("scope")
	if scope != "" && !tools.ValidScope(scope) {
		return setupInput{}, failure.Usagef("use @ and a lowercase name, such as @my-org", "invalid scope %q", failure.Printable(scope))
	}
	path, mode, err := configPath(e, tool, c.String("project"))
	if err != nil {
		return setupInput{}, err
	}
	if err := checkKeyring(c.Bool("keyring"), tool, path); err != nil {
		return setupInput{}, err
	}
	q, err := readEndpointQuery(e, c, tool.Format)
	if err != nil {
		return setupInput{}, err
	}
	raw := e.Getenv("CODEARTIFACT_URL")
	if c.IsSet("url") {
		raw = c.String("url")
	}
	if q.EndpointType != "" {
		raw = "" // the URL given may be of the other type
	}
	reg := tools.Registry{Endpoint: givenURL(raw, q.Target, tool.Format), Scope: scope, EnvVar: envVar, Keyring: c.Bool("keyring")}
	reg.Name = q.Target.Repository // uv's index, Poetry's source, twine's section: exec sets variables named after it
	if tool.Name == "cargo" {
		if c.String("registry") != "" {
			reg.Name = c.String("registry")
		}
		if !tools.ValidCargoName(reg.Name) {
			return setupInput{}, failure.Usagef("pass --registry NAME: a letter, then letters, digits, - or _",
				"invalid cargo registry name %q", failure.Printable(reg.Name))
		}
	}
	if reg.Endpoint != "" && !strings.HasSuffix(reg.Endpoint, "/") {
		reg.Endpoint += "/" // npm joins package names to the registry URL
	}
	config := tool.Config
	if f, ok := config.(interface{ ForPath(string) tools.ConfigFile }); ok {
		config = f.ForPath(path) // uv: uv.toml or pyproject.toml
	}
	return setupInput{tool: tool, config: config, query: q, registry: reg, path: path, newMode: mode, dryRun: c.Bool("dry-run")}, nil
}

// configPath is the tool's user config in home, or its project config in
// project, which must be a directory.
func configPath(e *cmdenv.Env, tool tools.Tool, project string) (string, fs.FileMode, error) {
	p, projectOnly := tool.Config.(interface{ ProjectOnly() bool })
	if projectOnly = projectOnly && p.ProjectOnly(); projectOnly && project == "" {
		project = "." // Poetry: the current directory's project
	}
	if project == "" {
		home := e.Home()
		if home == "" {
			return "", 0, failure.Usagef("set HOME (USERPROFILE on Windows), or pass --project DIR", "find home directory: no HOME is set")
		}
		mode := fs.FileMode(0o600)
		if p, ok := tool.Config.(interface{ Public() bool }); ok && p.Public() {
			mode = 0o644 // holds no secret
		}
		if u, ok := tool.Config.(interface {
			UserPath(getenv func(string) string, home string) string
		}); ok {
			return u.UserPath(e.Getenv, home), mode, nil // Cargo's moves with CARGO_HOME
		}
		return tool.Config.Path(home, ""), mode, nil
	}
	dir, err := filepath.Abs(project)
	if err != nil {
		return "", 0, failure.Usagef("pass --project DIR", "project %s: %w", project, err)
	}
	path := tool.Config.Path("", dir)
	if path == "" {
		return "", 0, failure.Usagef("leave out --project: setup writes the user's config", "%s has no project config file", tool.Name)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return "", 0, failure.Usagef("pass the project's directory, which must exist", "--project %s is not a directory", project)
	}
	if _, err := os.Stat(path); projectOnly && err != nil {
		return "", 0, failure.Usagef(fmt.Sprintf("run setup in the project's directory, or pass --project DIR; start a project with %s init", tool.Name),
			"%s has no %s", dir, filepath.Base(path))
	}
	return path, 0o644, nil
}

// setup merges the registry into in.path, or prints what would change.
func setup(e *cmdenv.Env, ctx context.Context, in setupInput, api endpointAPI) error {
	existing, err := readConfig(in.path)
	if err != nil {
		return err
	}
	reg := in.registry
	if reg.Endpoint == "" {
		if reg.Endpoint, err = e.LookupEndpoint(ctx, in.query, api); err != nil {
			return err
		}
	}
	if in.dryRun {
		_, rep, err := merge(in, existing, reg)
		if err != nil {
			return err
		}
		if err := writeChanges(e, in.path, rep); err != nil {
			return err
		}
		fmt.Fprintf(e.Stderr, "ca-helper: dry run: %s not changed\n", in.path)
		return nil
	}
	return mergeConfigLocked(e, ctx, in, reg)
}

// mergeConfigLocked merges under a lock next to the file, reading it again
// under the lock: an edit made while the endpoint was looked up, or by
// another setup at the same time, is merged, not lost.
func mergeConfigLocked(e *cmdenv.Env, ctx context.Context, in setupInput, reg tools.Registry) error {
	_, unlock, err := lockNextTo(ctx, in.path, "setup")
	if err != nil {
		return err
	}
	defer unlock()
	existing, err := readConfig(in.path)
	if err != nil {
		return err
	}
	out, rep, err := merge(in, existing, reg)
	if err != nil {
		return err
	}
	changed, err := tools.WriteConfig(in.path, out, in.newMode)
	if err != nil {
		return failure.Wrap(failure.Runtime, "check that the directory and the file are writable", err)
	}
	if _, err := fmt.Fprintln(e.Stdout, in.path); err != nil {
		return err
	}
	if rep.LiteralToken {
		with := "" // pip.conf, .pypirc: the line that held it goes, or holds no credentials now
		if strings.Contains(string(out), "${"+reg.EnvVar+"}") {
			with = " with ${" + reg.EnvVar + "}"
		}
		e.Warn(fmt.Sprintf("replaced the token written in %s%s; it is not kept anywhere", in.path, with))
	}
	if !changed {
		fmt.Fprintf(e.Stderr, "ca-helper: %s unchanged: it already uses %s\n", in.path, reg.Endpoint)
	} else {
		fmt.Fprintf(e.Stderr, "ca-helper: wrote %s for %s\n", in.path, reg.Endpoint)
	}
	if in.tool.Name == "cargo" {
		fmt.Fprintf(e.Stderr, "ca-helper: run cargo as usual: it asks ca-helper for the token of registry %q\n", reg.Name)
		return nil
	}
	if reg.Keyring {
		keyringHint(e, in.tool.Name, lookPath)
		return nil
	}
	fmt.Fprintf(e.Stderr, "ca-helper: run %s through `ca-helper exec -- %s …`, which sets %s\n", in.tool.Name, in.tool.Name,
		strings.Join(toolVars(in.tool, reg), ", "))
	return nil
}

// toolVars are the names of the variables exec sets for the tool.
func toolVars(tool tools.Tool, reg tools.Registry) []string {
	env, err := tool.Env(tools.Vars{EnvVar: reg.EnvVar, Endpoint: reg.Endpoint, Name: reg.Name})
	if err != nil {
		return []string{reg.EnvVar}
	}
	return tools.VarNames(env)
}

// readConfig reads the tool's config; a file setup will not touch is a
// usage error (exit 2), left as it is.
func readConfig(path string) ([]byte, error) {
	b, err := tools.ReadConfig(path)
	switch {
	case errors.Is(err, tools.ErrMalformed):
		return nil, failure.Usagef(fmt.Sprintf("fix %s or move it aside, then run again", path), "%s: %w", path, err)
	case err != nil:
		return nil, failure.Wrap(failure.Runtime, "check the path and its permissions", err)
	}
	return b, nil
}

func merge(in setupInput, existing []byte, reg tools.Registry) ([]byte, tools.Report, error) {
	out, rep, err := in.config.Merge(existing, reg)
	switch {
	case errors.Is(err, tools.ErrMalformed):
		return nil, rep, failure.Usagef(fmt.Sprintf("fix %s or move it aside, then run again", in.path), "%s: %w", in.path, err)
	case err != nil: // the endpoint the service gave does not fit the file
		return nil, rep, failure.Wrap(failure.Runtime, awsproc.UnexpectedHint, fmt.Errorf("merge into %s: %w", in.path, err))
	}
	return out, rep, nil
}

// writeChanges prints a dry run's changes as a diff of the managed lines
// alone: other lines may hold other registries' secrets, and a replaced
// token shows as [redacted].
func writeChanges(e *cmdenv.Env, path string, rep tools.Report) error {
	if len(rep.Changes) == 0 {
		fmt.Fprintf(e.Stderr, "ca-helper: %s unchanged\n", path)
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "--- %s\n+++ %s\n", path, path)
	for _, c := range rep.Changes {
		if c.Old != "" {
			fmt.Fprintf(&b, "-%s\n", c.Old)
		}
		if c.New != "" {
			fmt.Fprintf(&b, "+%s\n", c.New)
		}
	}
	_, err := e.Stdout.Write([]byte(b.String()))
	return err
}
