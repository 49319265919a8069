package tools

import (
	"fmt"
	"net/url"
	"strings"
)

// PyPIUser is the user name CodeArtifact's PyPI endpoints take with the
// token as password.
const PyPIUser = "aws"

// pypiEndpoint checks a pypi endpoint from GetRepositoryEndpoint: an http(s)
// URL ending in /, with no credentials, query or fragment of its own. The
// upload URL is the endpoint; the index is its simple/.
func pypiEndpoint(endpoint string) (*url.URL, error) {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(endpoint, " \t\r\n\"'\\#") {
		return nil, fmt.Errorf("repository endpoint %q is not an https URL", endpoint)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	return u, nil
}

// SimpleIndex is the PEP 503 index of a pypi endpoint: ENDPOINT/simple/.
func SimpleIndex(endpoint string) (string, error) {
	u, err := pypiEndpoint(endpoint)
	if err != nil {
		return "", err
	}
	return u.String() + "simple/", nil
}

// pipIndex makes the repository pip's index, the token the password of its
// URL: pip reads PIP_INDEX_URL from its environment, and masks the
// password when it prints the URL.
func pipIndex(v Vars) ([]string, error) {
	u, err := pypiEndpoint(v.Endpoint)
	if err != nil {
		return nil, err
	}
	u.User = url.UserPassword(PyPIUser, v.Token)
	u.Path += "simple/"
	return []string{"PIP_INDEX_URL=" + u.String()}, nil
}

// twineEnv gives twine the token and the repository's upload URL together:
// TWINE_REPOSITORY_URL wins over -r and the default (pypi.org), so the
// token is sent to the repository it was issued for and nowhere else.
func twineEnv(v Vars) ([]string, error) {
	u, err := pypiEndpoint(v.Endpoint)
	if err != nil {
		return nil, err
	}
	return []string{"TWINE_USERNAME=" + PyPIUser, "TWINE_PASSWORD=" + v.Token, "TWINE_REPOSITORY_URL=" + u.String()}, nil
}

// uvEnv gives uv the credentials of the index named after the repository
// (the [[index]] setup writes): uv sends them to that index's URL only.
func uvEnv(v Vars) ([]string, error) {
	n := EnvName(v.Name)
	if n == "" {
		return nil, fmt.Errorf("no repository name for uv's index")
	}
	return []string{"UV_INDEX_" + n + "_USERNAME=" + PyPIUser, "UV_INDEX_" + n + "_PASSWORD=" + v.Token}, nil
}

// poetryEnv gives Poetry the credentials of the source named after the
// repository, and that name's upload URL, so `poetry publish -r NAME`
// needs no config either: Poetry reads http-basic.NAME and
// repositories.NAME.url from these variables.
func poetryEnv(v Vars) ([]string, error) {
	n := EnvName(v.Name)
	if n == "" {
		return nil, fmt.Errorf("no repository name for Poetry's source")
	}
	u, err := pypiEndpoint(v.Endpoint)
	if err != nil {
		return nil, err
	}
	return []string{"POETRY_HTTP_BASIC_" + n + "_USERNAME=" + PyPIUser, "POETRY_HTTP_BASIC_" + n + "_PASSWORD=" + v.Token,
		"POETRY_REPOSITORIES_" + n + "_URL=" + u.String()}, nil
}

// EnvName is name as uv and Poetry spell it in a variable: upper case,
// every character other than a letter or digit an underscore.
func EnvName(name string) string {
	b := []byte(strings.ToUpper(name))
	for i, c := range b {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			b[i] = '_'
		}
	}
	return string(b)
}
