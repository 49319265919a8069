package command

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
)

func versionCommand(e *cmdenv.Env) *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print version and commit",
		Action: func(*cli.Context) error {
			_, err := fmt.Fprintln(e.Stdout, versionString())
			return err
		},
	}
}

// versionString is "ca-helper VERSION (COMMIT, GOVERSION)"; the commit falls back
// to what the Go toolchain recorded from git.
func versionString() string {
	rev := commit
	if info, ok := debug.ReadBuildInfo(); ok && rev == "" {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				rev = s.Value[:12]
			}
		}
	}
	if rev == "" {
		rev = "unknown commit"
	}
	return fmt.Sprintf("ca-helper %s (%s, %s)", version, rev, runtime.Version())
}
