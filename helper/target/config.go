package target

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/names"
)

// Config is the optional TOML file of named targets.
type Config struct {
	Path    string `toml:"-"`
	Default string `toml:"default"`
	// AllowedOwners, when set, is the whole list of domain owners whose
	// hosts the credential helpers serve (see Owners); nil = the default.
	AllowedOwners []string                `toml:"allowed_owners"`
	Targets       map[string]TargetConfig `toml:"targets"`
	data          []byte
}

// TargetConfig is one [targets.NAME] table. Every field is optional.
type TargetConfig struct {
	Domain      string `toml:"domain"`
	DomainOwner string `toml:"domain_owner"`
	Region      string `toml:"region"`
	Profile     string `toml:"profile"`
	Repository  string `toml:"repository"`
	Host        string `toml:"host"` // extra repository host allowed for credential helpers
	Duration    string `toml:"duration"`
	MinTTL      string `toml:"min_ttl"`
	Cache       string `toml:"cache"`
}

const configHint = "fix the config file or point --config / CA_HELPER_CONFIG elsewhere"

// DefaultConfigPath is ca-helper/config.toml in the user's config dir, found
// as os.UserConfigDir finds it but through getenv: $XDG_CONFIG_HOME (when
// absolute) or ~/.config on Linux, ~/Library/Application Support on macOS,
// %AppData% on Windows. "" when there is none.
func DefaultConfigPath(getenv func(string) string) string {
	var dir string
	switch runtime.GOOS {
	case "windows":
		dir = getenv("AppData")
	case "darwin", "ios":
		if home := getenv("HOME"); home != "" {
			dir = filepath.Join(home, "Library", "Application Support")
		}
	default:
		dir = getenv("XDG_CONFIG_HOME")
		if dir == "" {
			if home := getenv("HOME"); home != "" {
				dir = filepath.Join(home, ".config")
			}
		} else if !filepath.IsAbs(dir) {
			dir = "" // os.UserConfigDir refuses a relative one
		}
	}
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, "ca-helper", "config.toml")
}

// LoadConfig reads path. A missing file is an empty config; anything malformed,
// too large, too deep or not a regular file is a usage error naming the file
// and line, never quoting a value (readConfigFile, parseError).
func LoadConfig(path string) (*Config, error) {
	c := &Config{Path: path}
	if path == "" {
		return c, nil
	}
	data, err := readConfigFile(path)
	if err != nil {
		return nil, err
	}
	if data == nil {
		return c, nil // no file: it is optional
	}
	if line := configDepth(data); line > 0 {
		return nil, failure.Usagef(configHint, "config %s:%d: nested deeper than %d levels", path, line, maxConfigDepth)
	}
	c.data = data
	md, err := toml.Decode(string(data), c)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, parseError(path, pe)
		}
		// Type errors name a line, a key and two types, never a value.
		return nil, failure.Usagef(configHint, "config %s: %s", path, strings.TrimPrefix(err.Error(), "toml: "))
	}
	if ty := md.Type("targets"); ty != "" && ty != "Hash" {
		return nil, failure.Usagef("write targets as tables: [targets.NAME]", "config %s:%d: targets must be a table, not a %s",
			path, c.lineOf(nil, "targets"), strings.ToLower(md.Type("targets")))
	}
	if un := md.Undecoded(); len(un) > 0 {
		key := un[0]
		line := c.lineOf(key[:len(key)-1], key[len(key)-1])
		if line == 0 {
			line = c.tableLine(key)
		}
		return nil, failure.Usagef("known keys: default, allowed_owners, and per target: domain, domain_owner, region, profile, repository, host, duration, min_ttl, cache",
			"config %s:%d: unknown key %q", path, line, key.String())
	}
	for _, o := range c.AllowedOwners {
		if !names.Account(o) {
			return nil, failure.Usagef("list 12-digit AWS account ids, e.g. allowed_owners = [\"111122223333\"]",
				"config %s:%d: allowed_owners: %q is not an AWS account id", path, c.lineOf(nil, "allowed_owners"), o)
		}
	}
	if c.Default != "" {
		if _, ok := c.Targets[c.Default]; !ok {
			return nil, failure.Usagef(configHint, "config %s:%d: default target %q is not defined (targets: %s)",
				path, c.lineOf(nil, "default"), c.Default, c.targetNames())
		}
	}
	return c, nil
}

// where names the file and line of a target's key, for error messages.
func (c *Config) where(target, key string) string {
	line := c.lineOf([]string{"targets", target}, key)
	return fmt.Sprintf("config %s:%d (targets.%s.%s)", c.Path, line, target, key)
}

// whereTop names the file and line of a top-level key, for messages.
func (c *Config) whereTop(key string) string {
	return fmt.Sprintf("config %s:%d (%s)", c.Path, c.lineOf(nil, key), key)
}

// lineOf finds the line of key inside table (nil = top level); 0 when not found.
// It understands the plain layout the README shows, which is all it must explain.
func (c *Config) lineOf(table []string, key string) int {
	want := strings.Join(table, ".")
	current := ""
	sc := bufio.NewScanner(bytes.NewReader(c.data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			current = strings.Trim(strings.TrimSpace(strings.Trim(line, "[]")), `"`)
			current = strings.ReplaceAll(current, `"`, "")
			continue
		}
		name, _, ok := strings.Cut(line, "=")
		if ok && current == want && strings.Trim(strings.TrimSpace(name), `"`) == key {
			return n
		}
	}
	return 0
}

// tableLine finds the [table] header that starts with key, for unknown tables.
func (c *Config) tableLine(key toml.Key) int {
	sc := bufio.NewScanner(bytes.NewReader(c.data))
	for n := 1; sc.Scan(); n++ {
		line := strings.ReplaceAll(strings.TrimSpace(sc.Text()), `"`, "")
		if strings.HasPrefix(line, "[") && strings.HasPrefix(strings.Trim(line, "[] "), key[0]) {
			return n
		}
	}
	return 0
}

func (c *Config) targetNames() string {
	names := make([]string, 0, len(c.Targets))
	for n := range c.Targets {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// Exists reports whether the config file was there to read.
func (c *Config) Exists() bool { return c.data != nil }
