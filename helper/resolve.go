package helper

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// TokenOptions say how fresh a token must be and where it may be cached.
type TokenOptions struct {
	Duration time.Duration // requested token life; 0 = tied to the AWS session
	MinTTL   time.Duration
	Cache    string // auto | keyring | file | none
	Timeout  time.Duration
	Sources  map[string]string
}

// inputs are the raw values a command was given. flags holds only flags the
// user actually set, so "not given" and "given empty" differ.
type inputs struct {
	flags      map[string]string
	getenv     func(string) string
	configPath string
	config     *Config // loaded on first use
}

func (in *inputs) loadConfig() (*Config, error) {
	if in.config == nil {
		c, err := loadConfig(in.configPath)
		if err != nil {
			return nil, err
		}
		in.config = c
	}
	return in.config, nil
}

// resolveTarget applies the precedence of DESIGN.md in one place:
// flags > --url > --target > CODEARTIFACT_* env > config default > AWS env.
func resolveTarget(in *inputs) (Target, error) {
	t := Target{Sources: map[string]string{}}
	for _, name := range []string{"domain", "domain-owner", "region", "profile", "repository"} {
		if v, ok := in.flags[name]; ok {
			if v == "" {
				return t, usageErr("give the flag a value or leave it out", "flag --%s is empty", name)
			}
			t.set(name, v, "flag --"+name)
		}
	}
	if err := applyURL(&t, in); err != nil {
		return t, err
	}
	name, nameSource := in.flags["target"], "flag --target"
	if name == "" {
		name, nameSource = in.getenv("CA_HELPER_TARGET"), "CA_HELPER_TARGET"
	}
	if name != "" {
		if err := applyConfigTarget(&t, in, name, nameSource); err != nil {
			return t, err
		}
	}
	t.set("domain", in.getenv("CODEARTIFACT_DOMAIN"), "env CODEARTIFACT_DOMAIN")
	t.set("domain-owner", in.getenv("CODEARTIFACT_DOMAIN_OWNER"), "env CODEARTIFACT_DOMAIN_OWNER")
	t.set("repository", in.getenv("CODEARTIFACT_REPOSITORY"), "env CODEARTIFACT_REPOSITORY")
	if t.Domain == "" {
		c, err := in.loadConfig()
		if err != nil {
			return t, err
		}
		if c.Default != "" {
			if err := applyConfigTarget(&t, in, c.Default, "config default"); err != nil {
				return t, err
			}
		}
	}
	t.set("region", in.getenv("AWS_REGION"), "env AWS_REGION")
	t.set("region", in.getenv("AWS_DEFAULT_REGION"), "env AWS_DEFAULT_REGION")
	t.set("profile", in.getenv("AWS_PROFILE"), "env AWS_PROFILE")
	return t, t.validate()
}

func applyURL(t *Target, in *inputs) error {
	raw, source := in.flags["url"], "flag --url"
	if raw == "" {
		raw, source = in.getenv("CODEARTIFACT_URL"), "env CODEARTIFACT_URL"
	}
	if raw == "" {
		return nil
	}
	ep, err := ParseURL(raw)
	if err != nil {
		return usageErr("use a repository endpoint such as https://my-domain-111122223333.d.codeartifact.eu-west-1.amazonaws.com/maven/releases/",
			"invalid %s: %w", source, err)
	}
	t.set("domain", ep.Domain, source)
	t.set("domain-owner", ep.Owner, source)
	t.set("region", ep.Region, source)
	t.set("repository", ep.Repository, source)
	t.Format = ep.Format
	return nil
}

func applyConfigTarget(t *Target, in *inputs, name, nameSource string) error {
	c, err := in.loadConfig()
	if err != nil {
		return err
	}
	tc, ok := c.Targets[name]
	if !ok {
		where := c.Path
		if c.data == nil {
			where += " (no such file)"
		}
		return usageErr("targets in the config: "+c.targetNames(),
			"%s names target %q, which is not in config %s", nameSource, name, where)
	}
	t.Name = name
	t.set("domain", tc.Domain, c.where(name, "domain"))
	t.set("domain-owner", tc.DomainOwner, c.where(name, "domain_owner"))
	t.set("region", tc.Region, c.where(name, "region"))
	t.set("profile", tc.Profile, c.where(name, "profile"))
	t.set("repository", tc.Repository, c.where(name, "repository"))
	if tc.Host != "" {
		t.Host = strings.ToLower(tc.Host)
		t.Sources["host"] = c.where(name, "host")
	}
	return nil
}

// resolveOptions takes each option from its flag, then CA_HELPER_<NAME>, then the
// target's config table, then the default.
func resolveOptions(in *inputs, t Target) (TokenOptions, error) {
	o := TokenOptions{Sources: map[string]string{}}
	var tc TargetConfig
	if t.Name != "" && in.config != nil {
		tc = in.config.Targets[t.Name]
	}
	pick := func(name, conf, def string) (string, string) {
		if v, ok := in.flags[name]; ok {
			return v, "flag --" + name
		}
		env := "CA_HELPER_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
		if v := in.getenv(env); v != "" {
			return v, "env " + env
		}
		if conf != "" {
			return conf, in.config.where(t.Name, strings.ReplaceAll(name, "-", "_"))
		}
		return def, "default"
	}
	var err error
	v, src := pick("duration", tc.Duration, "12h")
	if o.Duration, err = parseSeconds(v); err != nil || (o.Duration != 0 && (o.Duration < 15*time.Minute || o.Duration > 12*time.Hour)) {
		return o, usageErr("use 0 (as long as the AWS session) or 15m..12h, e.g. 12h", "invalid duration %q from %s", printable(v), src)
	}
	o.Sources["duration"] = src
	v, src = pick("min-ttl", tc.MinTTL, "1h")
	if o.MinTTL, err = parseSeconds(v); err != nil || o.MinTTL < 0 || o.MinTTL > 12*time.Hour {
		return o, usageErr("use a duration between 0 and 12h, e.g. 1h or 30m", "invalid min-ttl %q from %s", printable(v), src)
	}
	o.Sources["min-ttl"] = src
	v, src = pick("cache", tc.Cache, "auto")
	switch v {
	case "auto", "keyring", "file", "none":
		o.Cache = v
	default:
		return o, usageErr("use auto, keyring, file or none", "invalid cache %q from %s", printable(v), src)
	}
	o.Sources["cache"] = src
	v, src = pick("timeout", "", "30s")
	if o.Timeout, err = parseSeconds(v); err != nil || o.Timeout <= 0 || o.Timeout > 10*time.Minute {
		return o, usageErr("use a duration such as 30s or 2m", "invalid timeout %q from %s", printable(v), src)
	}
	o.Sources["timeout"] = src
	return o, nil
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
