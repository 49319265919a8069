package tools

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// pipConf is pip's user config file, pip.conf (pip.ini on Windows), which
// pip reads before every command. setup manages one key of it,
// `[global] index-url`: the repository's simple index, with no
// credentials. Plain pip then asks the repository, which refuses it (401),
// instead of falling back to pypi.org; `ca-helper exec -- pip …` sets
// PIP_INDEX_URL, token included, which wins over the file. pip has no
// project config file: Path is "" for a project.
type pipConf struct{}

var _ ConfigFile = pipConf{}

// Path is the user's pip.conf where pip looks for it, read from the
// environment of this process; UserPath is what setup uses.
func (c pipConf) Path(home, project string) string {
	if project != "" {
		return ""
	}
	return c.UserPath(os.Getenv, home)
}

// UserPath is the file pip reads last, so its index-url wins: the one
// PIP_CONFIG_FILE names (but os.DevNull, with which pip reads no file
// at all: then the user's file, for when it is unset), else the user's
// file as pip's appdirs finds it.
func (pipConf) UserPath(getenv func(string) string, home string) string {
	return pipUserPath(runtime.GOOS, getenv, home, func(dir string) bool {
		st, err := os.Stat(dir)
		return err == nil && st.IsDir()
	})
}

// pipUserPath follows pip's user_config_dir: %APPDATA%\pip\pip.ini on
// Windows; on macOS ~/Library/Application Support/pip/pip.conf when that
// directory exists, else ~/.config/pip/pip.conf; elsewhere
// $XDG_CONFIG_HOME/pip/pip.conf, ~/.config when XDG_CONFIG_HOME is unset
// or blank.
func pipUserPath(goos string, getenv func(string) string, home string, isDir func(string) bool) string {
	if p := getenv("PIP_CONFIG_FILE"); p != "" && p != os.DevNull {
		return p
	}
	switch goos {
	case "windows":
		dir := getenv("APPDATA")
		if dir == "" {
			dir = filepath.Join(home, "AppData", "Roaming")
		}
		return filepath.Join(dir, "pip", "pip.ini")
	case "darwin":
		if dir := filepath.Join(home, "Library", "Application Support", "pip"); isDir(dir) {
			return filepath.Join(dir, "pip.conf")
		}
		return filepath.Join(home, ".config", "pip", "pip.conf")
	}
	dir := getenv("XDG_CONFIG_HOME")
	if strings.TrimSpace(dir) == "" {
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "pip", "pip.conf")
}

// Merge sets [global] index-url. An index-url holding credentials (`aws
// codeartifact login --tool pip` writes the token into it) is replaced and
// reported as a LiteralToken. With r.Keyring the index URL names the user
// aws, and keyring-provider = subprocess makes pip run `keyring get URL
// aws`; without it a keyring-provider = subprocess (setup --keyring's) is
// removed, and one the user set otherwise is left alone.
func (pipConf) Merge(existing []byte, r Registry) ([]byte, Report, error) {
	index, err := SimpleIndex(r.Endpoint)
	if err != nil {
		return nil, Report{}, err
	}
	if !iniValueOK(index) {
		return nil, Report{}, fmt.Errorf("repository endpoint %q holds a character a pip.conf line cannot", r.Endpoint)
	}
	keys := []iniKey{{key: "index-url", value: index, secret: pipURLSecret}}
	switch {
	case r.Keyring:
		keys[0].value = strings.Replace(index, "://", "://"+PyPIUser+"@", 1)
		keys = append(keys, iniKey{key: "keyring-provider", value: "subprocess"})
	case pipKeyringProvider(existing) == "subprocess":
		keys = append(keys, iniKey{key: "keyring-provider", remove: true})
	}
	m := iniMerge{norm: pipName, want: []iniWant{{name: "global", keys: keys}}}
	return m.merge(existing)
}

// pipURLSecret reports whether an index URL holds credentials other than
// the bare user aws that setup --keyring writes.
func pipURLSecret(v string) bool {
	u, err := url.Parse(v)
	if err == nil && u.User != nil && u.User.String() == PyPIUser {
		return false
	}
	return urlCredentials(v)
}

// pipKeyringProvider is [global] keyring-provider in a pip.conf, "" when
// it is not set or the file does not parse.
func pipKeyringProvider(existing []byte) string {
	f, err := parseINI(string(existing))
	if err != nil {
		return ""
	}
	for section, values := range f.values {
		for key, value := range values {
			if pipName(section) == "global" && pipName(key) == "keyring-provider" {
				return value
			}
		}
	}
	return ""
}

// pipName is a section or key name as pip compares them: case-insensitive,
// _ and - the same ([GLOBAL] index_url is [global] index-url).
func pipName(s string) string { return strings.ReplaceAll(strings.ToLower(s), "_", "-") }
