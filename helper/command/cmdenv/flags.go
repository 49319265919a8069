package cmdenv

import (
	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/target"
)

// TargetFlags select which token; they are read raw and resolved by resolveTarget.
// The variables each one falls back to are named in help by WithEnvDefaults.
func TargetFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "domain", Usage: "CodeArtifact domain"},
		&cli.StringFlag{Name: "domain-owner", Usage: "12-digit account id that owns the domain"},
		&cli.StringFlag{Name: "region", Usage: "AWS region (default: the profile's region)"},
		&cli.StringFlag{Name: "profile", Usage: "AWS profile"},
		&cli.StringFlag{Name: "repository", Usage: "repository name"},
		&cli.StringFlag{Name: "url", Usage: "repository endpoint URL giving domain, owner, region and repository"},
		&cli.StringFlag{Name: "target", Aliases: []string{"t"}, Usage: "named target from the config file"},
		ConfigFlag(),
		DebugFlag(),
	}
}

// ConfigFlag names the config file.
func ConfigFlag() cli.Flag {
	return &cli.StringFlag{Name: "config", Usage: "config file (default: ~/.config/ca-helper/config.toml)"}
}

// DebugFlag makes a command explain itself on stderr.
func DebugFlag() cli.Flag {
	return &cli.BoolFlag{Name: "debug", Usage: "explain each step on stderr (never prints the token)"}
}

// TokenFlags control freshness, caching and the AWS deadline: what a command
// that fetches a token reads.
func TokenFlags() []cli.Flag {
	return append(FreshnessFlags(), CacheFlag(), TimeoutFlag())
}

// FreshnessFlags say how long a fetched token lives and how long a cached one
// must still be valid.
func FreshnessFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "duration", Usage: "token life: 15m..12h, or 0 for the AWS session's (default: 12h)"},
		&cli.StringFlag{Name: "min-ttl", Usage: "serve a cached token only if it stays valid this long (default: 1h)"},
	}
}

// CacheFlag selects the cache backend.
func CacheFlag() cli.Flag {
	return &cli.StringFlag{Name: "cache", Usage: "auto, keyring, file or none (default: auto)"}
}

// TimeoutFlag bounds an AWS call.
func TimeoutFlag() cli.Flag {
	return &cli.StringFlag{Name: "timeout", Usage: "deadline for the whole AWS call, 1s..10m (default: 30s)"}
}

var rawFlagNames = []string{"domain", "domain-owner", "region", "profile", "repository", "url", "target",
	"duration", "min-ttl", "cache", "timeout"}

// ReadInputs collects the flags the user set, and the config path.
func (e *Env) ReadInputs(c *cli.Context) *target.Inputs {
	in := &target.Inputs{Flags: map[string]string{}, Getenv: e.Getenv}
	// One pass over the flags that were set: urfave/cli's IsSet walks every
	// flag of the command per call, which shows up on the cached path.
	set := map[string]bool{}
	for _, name := range c.LocalFlagNames() {
		set[name] = true
	}
	for _, name := range rawFlagNames {
		if set[name] {
			in.Flags[name] = c.String(name)
		}
	}
	e.Debug = e.Debug || c.Bool("debug")
	switch {
	case set["config"]:
		in.ConfigPath = c.String("config")
	case e.Getenv("CA_HELPER_CONFIG") != "":
		in.ConfigPath = e.Getenv("CA_HELPER_CONFIG")
	default:
		in.ConfigPath = target.DefaultConfigPath(e.Getenv)
	}
	return in
}

// Resolve reads target and options, validated, before any network call.
func (e *Env) Resolve(c *cli.Context) (target.Target, target.Options, error) {
	return e.resolve(c, target.ResolveOptions)
}

// ResolveForCache is Resolve for a command that only reads the cache
// (erase): of the options it checks --cache alone.
func (e *Env) ResolveForCache(c *cli.Context) (target.Target, target.Options, error) {
	return e.resolve(c, target.ResolveCacheOption)
}

func (e *Env) resolve(c *cli.Context, options func(*target.Inputs, target.Target) (target.Options, error)) (target.Target, target.Options, error) {
	in := e.ReadInputs(c)
	t, err := target.Resolve(in)
	if err != nil {
		return t, target.Options{}, err
	}
	o, err := options(in, t)
	if err != nil {
		return t, o, err
	}
	for k, v := range t.Sources {
		e.Debugf("%s from %s", k, v)
	}
	for k, v := range o.Sources {
		e.Debugf("%s from %s", k, v)
	}
	return t, o, nil
}

// FormatFlag is --format of the commands that print text or JSON.
func FormatFlag() cli.Flag {
	return &cli.StringFlag{Name: "format", Value: "text", Usage: "text, or json for scripts"}
}

// TextOrJSON is the command's --format, checked.
func TextOrJSON(c *cli.Context) (string, error) {
	format := c.String("format")
	if format != "text" && format != "json" {
		return "", failure.Usagef("use --format text or json", "invalid format %q", failure.Printable(format))
	}
	return format, nil
}
