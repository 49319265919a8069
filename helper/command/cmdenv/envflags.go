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

// formatFromEnv are the commands whose --format CA_HELPER_FORMAT sets: a
// variable exported for `get --format env` must not change, or break, what
// status or version print.
var formatFromEnv = map[string]bool{"get": true, "doctor": true}

// resolvedEnv are the variables package target reads for the target and
// token flags, in the order it reads them.
var resolvedEnv = map[string][]string{
	"domain": {"CODEARTIFACT_DOMAIN"}, "domain-owner": {"CODEARTIFACT_DOMAIN_OWNER"},
	"region": {"AWS_REGION", "AWS_DEFAULT_REGION"}, "profile": {"AWS_PROFILE"},
	"repository": {"CODEARTIFACT_REPOSITORY"}, "url": {"CODEARTIFACT_URL"},
	"target": {"CA_HELPER_TARGET"}, "config": {"CA_HELPER_CONFIG"},
	"duration": {"CA_HELPER_DURATION"}, "min-ttl": {"CA_HELPER_MIN_TTL"},
	"cache": {"CA_HELPER_CACHE"}, "timeout": {"CA_HELPER_TIMEOUT"},
}

// fromEnv says whether cmd's flag name is set by a CA_HELPER_ variable
// through WithEnvDefaults.
func fromEnv(cmd *cli.Command, name string) bool {
	if name == "format" {
		return formatFromEnv[cmd.Name]
	}
	return envBacked[name]
}

// WithEnvDefaults makes cmd fill its env-backed flags that were not given
// from getenv before it runs, and names the variables of every flag in its
// help, in one style: "usage [$VAR]".
func WithEnvDefaults(cmd *cli.Command, getenv func(string) string) {
	var names []string
	for _, f := range cmd.Flags {
		name := f.Names()[0]
		vars := resolvedEnv[name]
		if fromEnv(cmd, name) {
			names = append(names, name)
			vars = []string{target.OptionEnv(name)}
		}
		if len(vars) > 0 {
			noteEnv(f, vars)
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

// noteEnv appends " [$A, $B]" to the flag's usage, once.
func noteEnv(f cli.Flag, vars []string) {
	note := " [$" + strings.Join(vars, ", $") + "]"
	switch f := f.(type) {
	case *cli.StringFlag:
		if !strings.HasSuffix(f.Usage, note) {
			f.Usage += note
		}
	case *cli.BoolFlag:
		if !strings.HasSuffix(f.Usage, note) {
			f.Usage += note
		}
	}
}

func init() {
	// urfave/cli writes "(default: …)" after the usage, so the note noteEnv
	// appended would come before it for a flag with a default and after it
	// for one without: move it to the end, where urfave/cli's own EnvVars
	// put it. Set once here: it is a package variable of urfave/cli.
	stringer := cli.FlagStringer
	cli.FlagStringer = func(f cli.Flag) string {
		s := stringer(f)
		// No regexp: this package's init runs on every get.
		i := strings.Index(s, " [$")
		if i < 0 {
			return s
		}
		n := strings.IndexByte(s[i:], ']')
		if n < 0 {
			return s
		}
		return s[:i] + s[i+n+1:] + s[i:i+n+1]
	}
}
