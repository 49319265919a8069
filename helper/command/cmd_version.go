package command

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
)

func versionCommand(e *cmdenv.Env) *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print version, commit and build date (also: ca-helper --version, -v)",
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
	Date    string `json:"date"`   // the commit's time, UTC RFC 3339; "" when unknown
	Go      string `json:"go"`
	OS      string `json:"os"`
	Arch    string `json:"arch"`
}

// String is "ca-helper VERSION (COMMIT, DATE, GOVERSION)", without the date
// when it is unknown.
func (b buildInfo) String() string {
	parts := []string{b.Commit}
	if b.Commit == "" {
		parts[0] = "unknown commit"
	}
	if b.Date != "" {
		parts = append(parts, b.Date)
	}
	parts = append(parts, b.Go)
	return fmt.Sprintf("ca-helper %s (%s)", b.Version, strings.Join(parts, ", "))
}

// build is this binary's version.
func build() buildInfo {
	info, _ := debug.ReadBuildInfo()
	b := resolveBuild(version, commit, date, info)
	b.Go, b.OS, b.Arch = runtime.Version(), runtime.GOOS, runtime.GOARCH
	return b
}

// resolveBuild fills what -ldflags -X left unset from what the Go toolchain
// recorded: the module version of `go install …@v1.2.3` (without its "v"; not
// "(devel)"), and the commit and its time from git (vcs.revision, vcs.time).
// info may be nil.
func resolveBuild(ver, rev, when string, info *debug.BuildInfo) buildInfo {
	if info != nil {
		if mv := info.Main.Version; ver == "dev" && mv != "" && mv != "(devel)" {
			ver = strings.TrimPrefix(mv, "v")
		}
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision" && rev == "" && len(s.Value) >= 12:
				rev = s.Value[:12]
			case s.Key == "vcs.time" && when == "":
				when = s.Value
			}
		}
	}
	return buildInfo{Version: ver, Commit: rev, Date: when}
}

// versionString is the text `version` prints.
func versionString() string { return build().String() }
