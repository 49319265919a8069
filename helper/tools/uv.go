package tools

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// uvConfig is uv's config: an [[index]] in uv.toml, or a [[tool.uv.index]]
// in a project's pyproject.toml. setup manages the entry named after the
// repository: its url (the simple index), publish-url (the endpoint, for
// `uv publish --index NAME`), default = true (it replaces PyPI, as the
// repository proxies it) and authenticate = "always" (uv fails with
// "Missing credentials" rather than asking anonymously). The credentials
// are not in the file: exec sets UV_INDEX_<NAME>_USERNAME and _PASSWORD,
// which uv sends to that index's URL only.
type uvConfig struct{ pyproject bool }

var _ ConfigFile = uvConfig{}

// Path is the project's uv.toml, or its pyproject.toml when that exists
// and uv.toml does not (uv reads [tool.uv] only without a uv.toml); the
// user's is ~/.config/uv/uv.toml.
func (uvConfig) Path(home, project string) string {
	if project == "" {
		return filepath.Join(home, ".config", "uv", "uv.toml")
	}
	toml := filepath.Join(project, "uv.toml")
	if _, err := os.Stat(toml); err != nil {
		if py := filepath.Join(project, "pyproject.toml"); fileExists(py) {
			return py
		}
	}
	return toml
}

// UserPath is where uv reads the user's uv.toml: %APPDATA%\uv on Windows,
// else $XDG_CONFIG_HOME/uv or ~/.config/uv.
func (u uvConfig) UserPath(getenv func(string) string, home string) string {
	if dir := getenv("APPDATA"); runtime.GOOS == "windows" && dir != "" {
		return filepath.Join(dir, "uv", "uv.toml")
	}
	if dir := getenv("XDG_CONFIG_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "uv", "uv.toml")
	}
	return u.Path(home, "")
}

// ForPath is the merge for the file Path chose.
func (uvConfig) ForPath(path string) ConfigFile {
	return uvConfig{pyproject: filepath.Base(path) == "pyproject.toml"}
}

// Public reports that the file holds no secret: a new one is 0644.
func (uvConfig) Public() bool { return true }

func (u uvConfig) Merge(existing []byte, r Registry) ([]byte, Report, error) {
	index, err := SimpleIndex(r.Endpoint)
	if err != nil {
		return nil, Report{}, err
	}
	endpoint := strings.TrimSuffix(index, "simple/")
	header := "index"
	if u.pyproject {
		if r.Keyring {
			return nil, Report{}, fmt.Errorf("--keyring sets keyring-provider in uv.toml, not in pyproject.toml")
		}
		header = "tool.uv.index"
	}
	url := index
	if r.Keyring {
		url = strings.Replace(index, "://", "://"+PyPIUser+"@", 1) // uv asks the keyring for a URL's user only
	}
	out, rep, err := mergeEntry(existing, header, r.Name, []tomlEntry{
		{"url", quoted(url)}, {"publish-url", quoted(endpoint)}, {"default", "true"}, {"authenticate", quoted("always")},
	})
	if err != nil || u.pyproject {
		return out, rep, err
	}
	eol := "\n"
	if strings.Contains(string(out), "\r\n") {
		eol = "\r\n"
	}
	out, changes, err := mergeTopKey(out, topKey{key: "keyring-provider", value: quoted("subprocess"), remove: !r.Keyring}, eol)
	if err != nil {
		return nil, Report{}, err
	}
	rep.Changes = append(rep.Changes, changes...)
	return out, rep, nil
}

// poetrySource is a [[tool.poetry.source]] in the project's pyproject.toml,
// named after the repository, with the simple index as url and priority
// primary (it replaces PyPI). Poetry has no user-wide sources, so setup
// writes the project's file, which must exist. exec sets
// POETRY_HTTP_BASIC_<NAME>_USERNAME and _PASSWORD, which Poetry sends to
// that source only.
type poetrySource struct{}

var _ ConfigFile = poetrySource{}

func (poetrySource) Path(_, project string) string { return filepath.Join(project, "pyproject.toml") }

// ProjectOnly: Poetry reads sources from the project alone; setup without
// --project sets up the current directory's.
func (poetrySource) ProjectOnly() bool { return true }

func (poetrySource) Merge(existing []byte, r Registry) ([]byte, Report, error) {
	index, err := SimpleIndex(r.Endpoint)
	if err != nil {
		return nil, Report{}, err
	}
	return mergeEntry(existing, "tool.poetry.source", r.Name, []tomlEntry{{"url", quoted(index)}, {"priority", quoted("primary")}})
}

// mergeEntry merges one named entry of a TOML array of tables.
func mergeEntry(existing []byte, header, name string, want []tomlEntry) ([]byte, Report, error) {
	if err := CheckText(existing); err != nil {
		return nil, Report{}, err
	}
	if !validIndexName(name) {
		return nil, Report{}, fmt.Errorf("invalid index name %q: want letters, digits, -, _ or .", name)
	}
	m := arrayMerge{header: header, name: name, want: want, eol: "\n"}
	if strings.Contains(string(existing), "\r\n") {
		m.eol = "\r\n"
	}
	out, err := m.merge(string(existing))
	if err != nil {
		return nil, Report{}, err
	}
	if err := checkArrayResult(existing, out, &m); err != nil {
		return nil, Report{}, err
	}
	return out, m.rep, nil
}

// quoted is s as a TOML basic string; the URLs and words setup writes
// hold nothing that needs escaping (SimpleIndex refuses quotes and
// backslashes).
func quoted(s string) string { return `"` + s + `"` }

// hasPassword reports whether a TOML value is a URL with a password in it:
// a token `aws codeartifact login` or a user pasted.
func hasPassword(value string) bool {
	s, ok := tomlString(value)
	if !ok {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return false
	}
	_, set := u.User.Password()
	return set
}

func validIndexName(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}
