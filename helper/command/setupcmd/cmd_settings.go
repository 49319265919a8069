package setupcmd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/maven"
	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/keyring/lock"
)

// endpointAPI is the part of AWS the settings and setup commands use.
type endpointAPI = cmdenv.EndpointAPI

// settingsInput is what one settings run was asked to do.
type settingsInput struct {
	target target.Target
	opts   target.Options
	path   string       // the settings.xml to merge into
	server maven.Server // URL empty: ask GetRepositoryEndpoint
	dryRun bool
	json   bool // --format json: the dry run's result as one JSON document
	// endpointType is --endpoint-type: ipv4, dualstack or "" (the default)
	endpointType string
	// extensionsPath is the project's .mvn/extensions.xml to add the Maven
	// extension to, and extensions its new content; empty path: none.
	extensionsPath string
	extensions     []byte
}

func Settings(e *cmdenv.Env) *cli.Command {
	return &cli.Command{
		Name:      "settings",
		Usage:     "create or update a Maven settings.xml server, profile and optional mirror for the repository",
		UsageText: "ca-helper settings --repository REPO [--domain D --domain-owner O --region R | --url URL | --target NAME] [--mirror] [--publish] [--extension [--project DIR]] [--dry-run]",
		Flags: append(append(append(cmdenv.TargetFlags(), cmdenv.TimeoutFlag(), endpointTypeFlag()), extensionFlags()...),
			&cli.StringFlag{Name: "settings-file", Usage: "settings.xml to create or update (default ~/.m2/settings.xml)"},
			&cli.StringFlag{Name: "server-id", Usage: "id of the server, repository and mirror (default the repository name)"},
			&cli.BoolFlag{Name: "mirror", Usage: "also make the repository a mirror of * (all downloads go through CodeArtifact)"},
			&cli.BoolFlag{Name: "publish", Usage: "also make mvn deploy publish to the repository, with or without a <distributionManagement> (maven-deploy-plugin 3.0.0 or later)"},
			&cli.StringFlag{Name: "env-var", Value: maven.DefaultEnvVar, Usage: "variable the password refers to; the token itself is never written"},
			&cli.BoolFlag{Name: "dry-run", Usage: "print the resulting file to stdout and change nothing"},
			&cli.StringFlag{Name: "format", Value: "text", Usage: "with --dry-run: text (the file), or json for scripts"},
		),
		Action: func(c *cli.Context) error {
			in, err := readSettingsInput(e, c)
			if err != nil {
				return err
			}
			return settings(e, c.Context, in, e.AWS)
		},
	}
}

// readSettingsInput resolves and checks everything before any network call.
func readSettingsInput(e *cmdenv.Env, c *cli.Context) (settingsInput, error) {
	t, o, err := e.Resolve(c)
	if err != nil {
		return settingsInput{}, err
	}
	if t.Repository == "" {
		return settingsInput{}, errNoRepository()
	}
	path, err := maven.SettingsPath(c.String("settings-file"), e.Home())
	if err != nil {
		return settingsInput{}, err
	}
	id := c.String("server-id")
	if id == "" {
		id = t.Repository
	}
	format, err := cmdenv.TextOrJSON(c)
	if err != nil {
		return settingsInput{}, err
	}
	if format == "json" && !c.Bool("dry-run") {
		return settingsInput{}, failure.Usagef("add --dry-run, or leave out --format json", "--format json needs --dry-run")
	}
	in := settingsInput{target: t, opts: o, path: path, dryRun: c.Bool("dry-run"), json: format == "json",
		server: maven.Server{ID: id, EnvVar: c.String("env-var"), Mirror: c.Bool("mirror"), Publish: c.Bool("publish")}}
	raw := e.Getenv("CODEARTIFACT_URL")
	if c.IsSet("url") {
		raw = c.String("url")
	}
	if in.endpointType, err = readEndpointType(c); err != nil {
		return settingsInput{}, err
	}
	if in.endpointType == "" { // a URL given may be of the other type
		in.server.URL = givenURL(raw, t, "maven")
	}
	if err := extensionInput(c, &in); err != nil {
		return settingsInput{}, err
	}
	if err := in.server.Validate(); err != nil {
		return settingsInput{}, failure.Usagef("check --server-id and --env-var", "%w", err)
	}
	return in, nil
}

// givenURL returns raw when it is the endpoint in format of exactly the
// resolved target, so no GetRepositoryEndpoint call is needed; else "". A
// --repository or --domain that overrides part of the URL makes the URL not
// apply.
func givenURL(raw string, t target.Target, format string) string {
	if raw == "" {
		return ""
	}
	ep, err := target.ParseURL(raw)
	if err != nil || ep.Format != format || ep.Repository != t.Repository ||
		ep.Domain != t.Domain || ep.Owner != t.Owner || ep.Region != t.Region {
		return ""
	}
	return strings.TrimSpace(raw)
}

// settings merges the server into in.path, or prints the result with dryRun.
func settings(e *cmdenv.Env, ctx context.Context, in settingsInput, api endpointAPI) error {
	existing, err := os.ReadFile(in.path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return failure.Wrap(failure.Runtime, "check the path and its permissions, or pass --settings-file", fmt.Errorf("read %s: %w", in.path, err))
	}
	if err := maven.Check(existing); err != nil {
		return failure.Usagef(fmt.Sprintf("fix %s or move it aside, then run again", in.path), "%s: %w", in.path, err)
	}
	s := in.server
	if s.URL == "" {
		q := cmdenv.EndpointQuery{Target: in.target, Timeout: in.opts.Timeout, Format: "maven", EndpointType: in.endpointType}
		if s.URL, err = e.LookupEndpoint(ctx, q, api); err != nil {
			return err
		}
	}
	if in.dryRun {
		out, rep, err := maven.MergeReport(existing, s)
		if err != nil {
			return failure.Wrap(failure.Runtime, "", fmt.Errorf("merge server %q into %s: %w", s.ID, in.path, err))
		}
		if in.json {
			return writeDryRunJSON(e, in, s, out, rep.LiteralPassword)
		}
		if _, err := e.Stdout.Write(out); err != nil {
			return err
		}
		if rep.LiteralPassword {
			e.Warn(fmt.Sprintf("server %q has a literal password, which a real run replaces (keeping the old file as a backup)", s.ID))
		}
		fmt.Fprintf(e.Stderr, "ca-helper: dry run: %s not changed\n", in.path)
		return maybeWriteExtensions(e, in)
	}
	if err := mergeLocked(e, ctx, in, s); err != nil {
		return err
	}
	return maybeWriteExtensions(e, in)
}

// mergeLocked merges s into in.path under a lock next to the file, reading
// the file again under it: an edit made while the endpoint was looked up, or
// by another `ca-helper settings` at the same time, is merged, not lost.
func mergeLocked(e *cmdenv.Env, ctx context.Context, in settingsInput, s maven.Server) error {
	real, unlock, err := lockNextTo(ctx, in.path, "settings")
	if err != nil {
		return err
	}
	defer unlock()
	existing, err := os.ReadFile(in.path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return failure.Wrap(failure.Runtime, "check the path and its permissions, or pass --settings-file", fmt.Errorf("read %s: %w", in.path, err))
	}
	out, rep, err := maven.MergeReport(existing, s)
	if errors.Is(err, maven.ErrInvalid) {
		return failure.Usagef(fmt.Sprintf("fix %s or move it aside, then run again", in.path), "%s: %w", in.path, err)
	}
	if err != nil {
		return failure.Wrap(failure.Runtime, "", fmt.Errorf("merge server %q into %s: %w", s.ID, in.path, err))
	}
	var kept string
	if rep.LiteralPassword {
		// The user's own password (or a pasted token) goes away: keep this
		// run's previous file under a name of its own, not only the first .bak.
		kept = real + ".bak-" + e.Now().UTC().Format("20060102T150405.000Z")
		if err := os.WriteFile(kept, existing, 0o600); err != nil {
			return failure.Wrap(failure.Runtime, "check that the directory is writable", fmt.Errorf("keep backup %s: %w", kept, err))
		}
	}
	changed, err := maven.WriteFile(in.path, out)
	if err != nil {
		return failure.Wrap(failure.Runtime, "check that the directory is writable, or pass --settings-file", err)
	}
	if _, err := fmt.Fprintln(e.Stdout, in.path); err != nil {
		return err
	}
	switch {
	case kept != "":
		e.Warn(fmt.Sprintf("replaced the literal password of server %q with %s; the previous file is %s", s.ID, serverPasswordKind(s), kept))
	case !changed:
		fmt.Fprintf(e.Stderr, "ca-helper: server %q in %s is up to date\n", s.ID, in.path)
	case existing != nil:
		fmt.Fprintf(e.Stderr, "ca-helper: wrote server %q to %s (first backup %s)\n", s.ID, in.path, backupPath(in.path))
	default:
		fmt.Fprintf(e.Stderr, "ca-helper: wrote server %q to %s\n", s.ID, in.path)
	}
	return nil
}

// lockWait bounds the wait for another `ca-helper settings` on the same file.
const lockWait = 30 * time.Second

// serverPasswordKind names what the password now is, for messages.
func serverPasswordKind(s maven.Server) string {
	if s.Password != "" {
		return "a ca-helper marker"
	}
	return "${env." + s.EnvVar + "}"
}

func maybeWriteExtensions(e *cmdenv.Env, in settingsInput) error {
	if in.extensionsPath == "" {
		return nil
	}
	return writeExtensions(e, in.extensionsPath, in.extensions, in.dryRun)
}

// backupPath is where maven.WriteFile keeps the old file: next to the file a
// symlink at path points to.
func backupPath(path string) string {
	if target, err := filepath.EvalSymlinks(path); err == nil {
		path = target
	}
	return path + ".bak"
}

// lockNextTo takes the lock file next to path (next to its target when path
// is a link), which every `ca-helper cmd` writing that file takes too, and
// returns that target.
func lockNextTo(ctx context.Context, path, cmd string) (real string, unlock func(), err error) {
	real = path
	if target, err := filepath.EvalSymlinks(real); err == nil {
		real = target
	}
	dir, name := filepath.Dir(real), "."+filepath.Base(real)+".lock"
	unlock, err = lock.Acquire(ctx, dir, name, lockWait)
	if err != nil {
		return "", nil, failure.Wrap(failure.Runtime, "wait for the other `ca-helper "+cmd+"` to finish, or remove "+filepath.Join(dir, name)+" if none runs",
			fmt.Errorf("lock %s: %w", path, err))
	}
	return real, unlock, nil
}
