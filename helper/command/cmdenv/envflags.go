package cmdenv

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/target"
)

// envBacked are the flags that CA_HELPER_<NAME> sets when they are not given
// (target.OptionEnv). ca-helper reads those variables itself, through the
// System's Getenv, rather than through urfave/cli's EnvVars, which would read
// the process environment: so a command test sets only what it needs, and an
// exported but empty variable means "unset", as for every other variable.
// The target and token options (domain, cache, …) are resolved by package
// target and are not listed here.
var envBacked = map[string]bool{
	"debug": true, "format": true, "shell": true, "env-var": true, "refresh": true, "no-cache": true,
	"publish": true, "trust": true, "github-repo": true, "role-account": true,
	"settings-file": true, "server-id": true, "mirror": true, "dry-run": true, "extension": true, "project": true,
}

// WithEnvDefaults makes cmd fill its env-backed flags that were not given
// from getenv before it runs, and names the variable in each flag's help.
func WithEnvDefaults(cmd *cli.Command, getenv func(string) string) {
	var names []string
	for _, f := range cmd.Flags {
		name := f.Names()[0]
		if !envBacked[name] {
			continue
		}
		names = append(names, name)
		env := target.OptionEnv(name)
		switch f := f.(type) {
		case *cli.StringFlag:
			f.Usage = withEnvNote(f.Usage, env)
		case *cli.BoolFlag:
			f.Usage = withEnvNote(f.Usage, env)
		}
	}
	if len(names) == 0 {
		return
	}
	before := cmd.Before
	cmd.Before = func(c *cli.Context) error {
		set := map[string]bool{}
		for _, name := range c.LocalFlagNames() {
			set[name] = true
		}
		for _, name := range names {
			v := getenv(target.OptionEnv(name))
			if set[name] || v == "" {
				continue
			}
			if err := c.Set(name, v); err != nil {
				return failure.Usagef(fmt.Sprintf("set %s to a valid --%s value, or unset it", target.OptionEnv(name), name),
					"invalid %s %q", target.OptionEnv(name), failure.Printable(v))
			}
		}
		if before != nil {
			return before(c)
		}
		return nil
	}
}

func withEnvNote(usage, env string) string {
	if strings.Contains(usage, env) {
		return usage
	}
	return usage + " (env " + env + ")"
}
