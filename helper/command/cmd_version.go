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
		Usage: "print version and commit (also: ca-helper --version, -v)",
		Flags: []cli.Flag{cmdenv.FormatFlag()},
		Action: func(c *cli.Context) error {
			format, err := cmdenv.TextOrJSON(c)
			if err != nil {
				return err
			}
			b := build()
			if format == "json" {
				return writeJSON(e.Stdout, b)
			}
			_, err = fmt.Fprintln(e.Stdout, b)
			return err
		},
	}
}

// buildInfo is what `version` prints; its JSON is `version --format json`.
type buildInfo struct {
	Version string `json:"version"`
	Commit  string `json:"commit"` // "" when unknown
	Go      string `json:"go"`
	OS      string `json:"os"`
	Arch    string `json:"arch"`
}

// String is "ca-helper VERSION (COMMIT, GOVERSION)".
func (b buildInfo) String() string {
	rev := b.Commit
	if rev == "" {
		rev = "unknown commit"
	}
	return fmt.Sprintf("ca-helper %s (%s, %s)", b.Version, rev, b.Go)
}

// build is this binary's version; the commit falls back to what the Go
// toolchain recorded from git.
func build() buildInfo {
	rev := commit
	if info, ok := debug.ReadBuildInfo(); ok && rev == "" {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				rev = s.Value[:12]
			}
		}
	}
	return buildInfo{Version: version, Commit: rev, Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
}

// versionString is the text `version` prints.
func versionString() string { return build().String() }
