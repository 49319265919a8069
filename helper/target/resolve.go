package target

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ca-helper/ca-helper/helper/failure"
)

// Options say how fresh a token must be and where it may be cached.
type Options struct {
	Duration time.Duration // requested token life; 0 = tied to the AWS session
	MinTTL   time.Duration
	Cache    string // auto | keyring | file | none
	Timeout  time.Duration
	Sources  map[string]string
}

// Inputs are the raw values a command was given. Flags holds only flags the
// user actually set, so "not given" and "given empty" differ.
type Inputs struct {
	Flags      map[string]string
	Getenv     func(string) string
	ConfigPath string
	config     *Config // loaded on first use
}

func (in *Inputs) LoadConfig() (*Config, error) {
	if in.config == nil {
		c, err := LoadConfig(in.ConfigPath)
		if err != nil {
			return nil, err
		}
		in.config = c
	}
	return in.config, nil
}

// Resolve applies the precedence docs/config.md states, in one place:
// flags > --url > --target > CODEARTIFACT_* env > config default > AWS env.
func Resolve(in *Inputs) (Target, error) {
	t := Target{Sources: map[string]string{}}
	for _, f := range Fields {
		if v, ok := in.Flags[string(f)]; ok {
			if v == "" {
				return t, failure.Usagef("give the flag a value or leave it out", "flag --%s is empty", f)
			}
			t.Set(f, v, "flag --"+string(f))
		}
	}
	if err := applyURL(&t, in); err != nil {
		return t, err
	}
	name, nameSource := in.Flags["target"], "flag --target"
	if name == "" {
		name, nameSource = in.Getenv("CA_HELPER_TARGET"), "CA_HELPER_TARGET"
	}
	if name != "" {
		if err := ApplyConfigTarget(&t, in, name, nameSource); err != nil {
			return t, err
		}
	}
	t.Set(Domain, in.Getenv("CODEARTIFACT_DOMAIN"), "env CODEARTIFACT_DOMAIN")
	t.Set(Owner, in.Getenv("CODEARTIFACT_DOMAIN_OWNER"), "env CODEARTIFACT_DOMAIN_OWNER")
	t.Set(Repository, in.Getenv("CODEARTIFACT_REPOSITORY"), "env CODEARTIFACT_REPOSITORY")
	if t.Domain == "" {
		c, err := in.LoadConfig()
		if err != nil {
			return t, err
		}
		if c.Default != "" {
			if err := ApplyConfigTarget(&t, in, c.Default, "config default"); err != nil {
				return t, err
			}
		}
	}
	t.Set(Region, in.Getenv("AWS_REGION"), "env AWS_REGION")
	t.Set(Region, in.Getenv("AWS_DEFAULT_REGION"), "env AWS_DEFAULT_REGION")
	t.Set(Profile, in.Getenv("AWS_PROFILE"), "env AWS_PROFILE")
	return t, t.Validate()
}

func applyURL(t *Target, in *Inputs) error {
	raw, source := in.Flags["url"], "flag --url"
	if raw == "" {
		raw, source = in.Getenv("CODEARTIFACT_URL"), "env CODEARTIFACT_URL"
	}
	if raw == "" {
		return nil
	}
	ep, err := ParseURL(raw)
	if err != nil {
		return failure.Usagef("use a repository endpoint such as https://my-domain-111122223333.d.codeartifact.eu-west-1.amazonaws.com/maven/releases/",
			"invalid %s: %w", source, err)
	}
	t.Set(Domain, ep.Domain, source)
	t.Set(Owner, ep.Owner, source)
	t.Set(Region, ep.Region, source)
	t.Set(Repository, ep.Repository, source)
	t.Format = ep.Format
	return nil
}

// ApplyConfigTarget fills t from the config target name; nameSource says
// where the name came from, for errors.
func ApplyConfigTarget(t *Target, in *Inputs, name, nameSource string) error {
	c, err := in.LoadConfig()
	if err != nil {
		return err
	}
	tc, ok := c.Targets[name]
	if !ok {
		where := c.Path
		if !c.Exists() {
			where += " (no such file)"
		}
		return failure.Usagef("targets in the config: "+c.targetNames(),
			"%s names target %q, which is not in config %s", nameSource, name, where)
	}
	t.Name = name
	t.Set(Domain, tc.Domain, c.where(name, "domain"))
	t.Set(Owner, tc.DomainOwner, c.where(name, "domain_owner"))
	t.Set(Region, tc.Region, c.where(name, "region"))
	t.Set(Profile, tc.Profile, c.where(name, "profile"))
	t.Set(Repository, tc.Repository, c.where(name, "repository"))
	if tc.Host != "" {
		t.Host = strings.ToLower(tc.Host)
		t.Sources["host"] = c.where(name, "host")
	}
	return nil
}

// resolveOptions takes each option from its flag, then CA_HELPER_<NAME>, then the
// target's config table, then the default.
func ResolveOptions(in *Inputs, t Target) (Options, error) {
	o := Options{Sources: map[string]string{}}
	tc, pick := optionPicker(in, t)
	var err error
	v, src := pick("duration", tc.Duration, "12h")
	if o.Duration, err = parseSeconds(v); err != nil || (o.Duration != 0 && (o.Duration < 15*time.Minute || o.Duration > 12*time.Hour)) {
		return o, failure.Usagef("use 0 (as long as the AWS session) or 15m..12h, e.g. 12h", "invalid duration %q from %s", failure.Printable(v), src)
	}
	o.Sources["duration"] = src
	v, src = pick("min-ttl", tc.MinTTL, "1h")
	if o.MinTTL, err = parseSeconds(v); err != nil || o.MinTTL < 0 || o.MinTTL > 12*time.Hour {
		return o, failure.Usagef("use a duration between 0 and 12h, e.g. 1h or 30m", "invalid min-ttl %q from %s", failure.Printable(v), src)
	}
	o.Sources["min-ttl"] = src
	if err := resolveCache(&o, tc, pick); err != nil {
		return o, err
	}
	v, src = pick("timeout", "", "30s")
	if o.Timeout, err = parseSeconds(v); err != nil || o.Timeout < MinTimeout || o.Timeout > MaxTimeout {
		return o, failure.Usagef(fmt.Sprintf("use a timeout from %s to %s, e.g. 30s or 2m", human(MinTimeout), human(MaxTimeout)),
			"invalid timeout %q from %s", failure.Printable(v), src)
	}
	o.Sources["timeout"] = src
	return o, nil
}

// ResolveCacheOption is ResolveOptions for the commands that only read the
// cache (status, erase): it checks --cache alone, so a bad freshness or
// timeout setting, which they do not use, does not stop them.
func ResolveCacheOption(in *Inputs, t Target) (Options, error) {
	o := Options{Sources: map[string]string{}}
	tc, pick := optionPicker(in, t)
	return o, resolveCache(&o, tc, pick)
}

// picker finds an option's value and where it came from: flag, env, the
// target's config, else the default.
type picker func(name, conf, def string) (value, source string)

func optionPicker(in *Inputs, t Target) (TargetConfig, picker) {
	var tc TargetConfig
	if t.Name != "" && in.config != nil {
		tc = in.config.Targets[t.Name]
	}
	return tc, func(name, conf, def string) (string, string) {
		if v, ok := in.Flags[name]; ok {
			return v, "flag --" + name
		}
		env := OptionEnv(name)
		if v := in.Getenv(env); v != "" {
			return v, "env " + env
		}
		if conf != "" {
			return conf, in.config.where(t.Name, strings.ReplaceAll(name, "-", "_"))
		}
		return def, "default"
	}
}

func resolveCache(o *Options, tc TargetConfig, pick picker) error {
	v, src := pick("cache", tc.Cache, "auto")
	switch v {
	case "auto", "keyring", "file", "none":
		o.Cache = v
	default:
		return failure.Usagef("use auto, keyring, file or none", "invalid cache %q from %s", failure.Printable(v), src)
	}
	o.Sources["cache"] = src
	return nil
}

// The range of --timeout. Below a second not even the credentials resolve,
// and the failure would read as a missing credential rather than as the
// deadline; past ten minutes a hung network is better reported than waited on.
const (
	MinTimeout = time.Second
	MaxTimeout = 10 * time.Minute
)

// human prints a whole number of minutes or seconds as 10m or 1s.
func human(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return fmt.Sprintf("%ds", d/time.Second)
}

// parseSeconds accepts a Go duration ("12h", "90m") or a number of seconds.
func parseSeconds(s string) (time.Duration, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n < 0 || n > 1<<31 {
			return 0, fmt.Errorf("out of range")
		}
		return time.Duration(n) * time.Second, nil
	}
	return time.ParseDuration(s)
}

// OptionEnv is the variable that sets option or flag name when it is not
// given: CA_HELPER_ and the name in upper case with "_" for "-".
func OptionEnv(name string) string {
	return "CA_HELPER_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}
