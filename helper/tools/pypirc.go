package tools

import (
	"fmt"
	"path/filepath"
)

// pypirc is twine's ~/.pypirc. setup manages the repository's name in
// `[distutils] index-servers` (twine reads only the sections listed
// there) and, in the section of that name, `repository` (the endpoint,
// where uploads go) and `username = aws`. It removes a `password` there:
// `aws codeartifact login --tool twine` writes the token into it.
// `ca-helper exec -- twine upload` gives twine the token and the URL in
// TWINE_PASSWORD and TWINE_REPOSITORY_URL. twine has no project config
// file: Path is "" for a project.
type pypirc struct{}

var _ ConfigFile = pypirc{}

func (pypirc) Path(home, project string) string {
	if project != "" {
		return ""
	}
	return filepath.Join(home, ".pypirc")
}

// twineDefaults are the repositories twine knows when .pypirc lists none:
// a new index-servers keeps them, so `twine upload -r testpypi` still
// works.
var twineDefaults = []string{"pypi", "testpypi"}

// Merge adds r.Name to index-servers and sets its section.
func (pypirc) Merge(existing []byte, r Registry) ([]byte, Report, error) {
	u, err := pypiEndpoint(r.Endpoint)
	if err != nil {
		return nil, Report{}, err
	}
	if !iniValueOK(u.String()) {
		return nil, Report{}, fmt.Errorf("repository endpoint %q holds a character a .pypirc line cannot", r.Endpoint)
	}
	if !validPypircName(r.Name) {
		return nil, Report{}, fmt.Errorf("repository name %q cannot name a .pypirc section", r.Name)
	}
	m := iniMerge{norm: func(s string) string { return s }, want: []iniWant{
		{name: "distutils", keys: []iniKey{{key: "index-servers", value: r.Name, list: twineDefaults}}},
		{name: r.Name, keys: []iniKey{
			{key: "repository", value: u.String(), secret: urlCredentials},
			{key: "username", value: PyPIUser},
			{key: "password", remove: true, secret: nonEmpty},
		}},
	}}
	return m.merge(existing)
}

// validPypircName reports whether name can be a .pypirc section and an
// index-servers item: a CodeArtifact repository name (letters, digits, .
// _ -), and not one of the sections twine or configparser read for
// themselves.
func validPypircName(name string) bool {
	if name == "" || len(name) > 100 || name == "distutils" || name == "server-login" || name == "DEFAULT" {
		return false
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
