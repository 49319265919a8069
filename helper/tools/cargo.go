package tools

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// CargoProvider is the credential-provider setup names: Cargo (1.74 and
// later) runs it from PATH with --cargo-plugin whenever the registry asks
// for a token, so the token never reaches a file.
const CargoProvider = "ca-helper"

// cargoConfig is Cargo's config.toml. setup manages one table of it,
// [registries.NAME], and two keys in that table: index and
// credential-provider. Every other line is kept byte for byte.
type cargoConfig struct{}

var _ ConfigFile = cargoConfig{}

// Path is DIR/.cargo/config.toml for a project, else ~/.cargo/config.toml:
// where Cargo reads them.
func (cargoConfig) Path(home, project string) string {
	if project != "" {
		return filepath.Join(project, ".cargo", "config.toml")
	}
	return filepath.Join(home, ".cargo", "config.toml")
}

// UserPath is the user's file as Cargo finds it: $CARGO_HOME/config.toml
// when CARGO_HOME is set, else ~/.cargo/config.toml.
func (c cargoConfig) UserPath(getenv func(string) string, home string) string {
	if dir := getenv("CARGO_HOME"); dir != "" {
		return filepath.Join(dir, "config.toml")
	}
	return c.Path(home, "")
}

// Public reports that the file holds no secret: a new one is 0644.
func (cargoConfig) Public() bool { return true }

func (cargoConfig) Merge(existing []byte, r Registry) ([]byte, Report, error) {
	if err := CheckText(existing); err != nil {
		return nil, Report{}, err
	}
	if !ValidCargoName(r.Name) {
		return nil, Report{}, fmt.Errorf("invalid cargo registry name %q: want a letter, then letters, digits, - or _", r.Name)
	}
	index, err := cargoIndex(r.Endpoint)
	if err != nil {
		return nil, Report{}, err
	}
	want := []managedLine{{key: "index", value: index}, {key: "credential-provider", value: CargoProvider}}
	m := tomlMerge{name: r.Name, want: want, eol: "\n"}
	if strings.Contains(string(existing), "\r\n") {
		m.eol = "\r\n"
	}
	out, err := m.merge(string(existing))
	if err != nil {
		return nil, Report{}, err
	}
	if err := checkCargoResult(existing, out, r.Name, want); err != nil {
		return nil, Report{}, err
	}
	return out, m.rep, nil
}

// cargoIndex is the sparse index URL of an endpoint: https, ending in /,
// with nothing that needs escaping in a TOML basic string.
func cargoIndex(endpoint string) (string, error) {
	for _, c := range endpoint {
		if c <= ' ' || c == 0x7f || c == '"' || c == '\'' || c == '\\' || c == '#' {
			return "", fmt.Errorf("repository endpoint %q holds a character a config.toml line cannot", endpoint)
		}
	}
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" || !strings.HasSuffix(u.Path, "/") {
		return "", fmt.Errorf("repository endpoint %q is not an https URL ending in /", endpoint)
	}
	return "sparse+" + endpoint, nil
}

// ValidCargoName reports whether s is a registry name Cargo accepts and a
// TOML bare key: a letter, then letters, digits, - or _.
func ValidCargoName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i, c := range s {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || !(c >= '0' && c <= '9' || c == '-' || c == '_')) {
			return false
		}
	}
	return true
}
