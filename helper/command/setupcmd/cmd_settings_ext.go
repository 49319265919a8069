package setupcmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/maven"
	"github.com/ca-helper/ca-helper/helper/target"
)

func extensionFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "extension",
			Usage: "write the password as a ca-helper marker ({[name=ca-helper,version=1]FLAGS}) for the ca-helper Maven extension instead of ${env.VAR}"},
		&cli.StringFlag{Name: "project",
			Usage: "with --extension, also add the extension to `DIR`/.mvn/extensions.xml"},
	}
}

// extensionInput fills in the marker password and the extensions.xml path.
func extensionInput(c *cli.Context, in *settingsInput) error {
	if !c.Bool("extension") {
		if c.IsSet("project") {
			return failure.Usagef("add --extension, or drop --project", "--project only applies with --extension")
		}
		return nil
	}
	if c.IsSet("env-var") {
		return failure.Usagef("drop --env-var: with --extension the password is a ca-helper marker", "--extension and --env-var do not go together")
	}
	marker, err := maven.Marker(markerArgs(in.target, c.IsSet("config")))
	if err != nil {
		return failure.Usagef("use a target name, domain and profile without blanks or braces", "%w", err)
	}
	in.server.Password = marker
	if dir := c.String("project"); dir != "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return failure.Usagef("pass --project DIR", "project %s: %w", dir, err)
		}
		if st, err := os.Stat(abs); err != nil || !st.IsDir() {
			return failure.Usagef("pass the directory that holds the project's pom.xml", "--project %s is not a directory", dir)
		}
		in.extensionsPath = filepath.Join(abs, ".mvn", "extensions.xml")
		// Merged now, so a file that cannot be merged stops the run before
		// anything is written.
		if in.extensions, err = mergeExtensionsFile(in.extensionsPath); err != nil {
			return err
		}
	}
	return nil
}

// mergeExtensionsFile returns path's content with the extension merged in.
func mergeExtensionsFile(path string) ([]byte, error) {
	existing, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, failure.Wrap(failure.Runtime, "check the path and its permissions", fmt.Errorf("read %s: %w", path, err))
	}
	out, err := maven.MergeExtension(existing)
	if err != nil {
		return nil, failure.Usagef(fmt.Sprintf("fix %s or move it aside, then run again", path), "%s: %w", path, err)
	}
	return out, nil
}

// markerArgs are the `ca-helper get` flags that give the extension the same
// target: the config target's name when the target came from the default
// config file, plus every field that came from elsewhere (flags, env, a URL),
// written out because an IDE has neither this shell's flags nor its env.
func markerArgs(t target.Target, customConfig bool) []string {
	var args []string
	named := t.Name != "" && !customConfig
	if named {
		args = append(args, "--target", t.Name)
	}
	for _, f := range []struct{ flag, value string }{
		{"--domain", t.Domain}, {"--domain-owner", t.Owner}, {"--region", t.Region}, {"--profile", t.Profile},
	} {
		name := strings.TrimPrefix(f.flag, "--")
		if f.value == "" || (named && strings.HasPrefix(t.Sources[name], "config")) {
			continue
		}
		args = append(args, f.flag, f.value)
	}
	return args
}

// writeExtensions writes out, the merged .mvn/extensions.xml, to path.
func writeExtensions(e *cmdenv.Env, path string, out []byte, dryRun bool) error {
	if dryRun {
		fmt.Fprintf(e.Stderr, "ca-helper: dry run: %s not changed\n", path)
		return nil
	}
	// Committed and read by every developer and CI user: a new file is 0644,
	// an existing one keeps its mode.
	changed, err := maven.WriteShared(path, out, 0o644)
	if err != nil {
		return failure.Wrap(failure.Runtime, "check that the project directory is writable", err)
	}
	if _, err := fmt.Fprintln(e.Stdout, path); err != nil {
		return err
	}
	if changed {
		fmt.Fprintf(e.Stderr, "ca-helper: added the ca-helper Maven extension to %s\n", path)
	} else {
		fmt.Fprintf(e.Stderr, "ca-helper: %s already loads the ca-helper Maven extension\n", path)
	}
	return nil
}
