package tools

import (
	"errors"
	"strings"
	"testing"
)

const (
	twineDists = "[distutils]\nindex-servers =\n    pypi\n    testpypi\n    releases\n"
	twineRepo  = "[releases]\nrepository = " + iniEP + "\nusername = aws\n"
)

func TestPypircMerge(t *testing.T) {
	tests := []struct {
		name     string
		existing string // "<nil>": no file
		want     string
		changes  int
		literal  bool
	}{
		{name: "new file keeps twine's default repositories", existing: "<nil>", want: twineDists + "\n" + twineRepo, changes: 5},
		{name: "list on continuation lines: layout and other servers kept",
			existing: "[distutils]\nindex-servers =\n  pypi\n  # old\n  private\n\n[pypi]\nusername = __token__\n",
			want:     "[distutils]\nindex-servers =\n  pypi\n  # old\n  private\n  releases\n\n[pypi]\nusername = __token__\n\n" + twineRepo, changes: 4},
		{name: "list on one line",
			existing: "[distutils]\r\nindex-servers: pypi\r\n",
			want:     "[distutils]\r\nindex-servers: pypi releases\r\n\r\n" + strings.ReplaceAll(twineRepo, "\n", "\r\n"), changes: 4},
		{name: "password from aws codeartifact login removed, other keys kept",
			existing: "[distutils]\nindex-servers =\n\tpypi\n\treleases\n[releases]\nrepository: " + iniEP + "\nusername: aws\npassword: " + pipToken + "\nca_cert = /etc/ca.pem\n",
			want:     "[distutils]\nindex-servers =\n\tpypi\n\treleases\n[releases]\nrepository: " + iniEP + "\nusername: aws\nca_cert = /etc/ca.pem\n",
			changes:  1, literal: true},
		{name: "other URL and user replaced in place",
			existing: "[releases]\nrepository = https://old.example/\nusername = me\n" + "[distutils]\nindex-servers = releases\n",
			want:     twineRepo + "[distutils]\nindex-servers = releases\n", changes: 2},
		{name: "a section of another case is another section",
			existing: "[distutils]\nindex-servers = Releases\n[Releases]\npassword = x\n",
			want:     "[distutils]\nindex-servers = Releases releases\n[Releases]\npassword = x\n\n" + twineRepo, changes: 4},
		{name: "already set up: identical", existing: twineDists + twineRepo, want: twineDists + twineRepo},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkMerge(t, pypirc{}, existingFile(tt.existing), Registry{Endpoint: iniEP, Name: "releases"}, tt.want, tt.changes, tt.literal, pipToken)
		})
	}
}

func TestPypircMergeRefuses(t *testing.T) {
	for name, existing := range map[string]string{
		"password over continuation lines": "[releases]\npassword =\n  " + pipToken + "\n",
		"password in [DEFAULT]":            "[DEFAULT]\npassword = " + pipToken + "\n",
		"index-servers in [DEFAULT]":       "[DEFAULT]\nindex-servers = pypi\n",
		"password in a continuation":       "[releases]\nusername = aws\n  password = " + pipToken + "\n",
		"section twice":                    "[releases]\n[releases]\n",
		"key twice":                        "[releases]\nusername = a\nUsername = b\n",
		"section header in a continuation": "[pypi]\nusername = x\n   [releases]\n",
	} {
		out, _, err := pypirc{}.Merge([]byte(existing), Registry{Endpoint: iniEP, Name: "releases"})
		if !errors.Is(err, ErrMalformed) || out != nil || strings.Contains(err.Error(), pipToken) {
			t.Errorf("%s: Merge = %q, %v; want ErrMalformed without the token", name, out, err)
		}
	}
	for _, name := range []string{"", "distutils", "server-login", "DEFAULT", "a b", "a]b", "x\ny"} {
		if _, _, err := (pypirc{}).Merge(nil, Registry{Endpoint: iniEP, Name: name}); err == nil || errors.Is(err, ErrMalformed) {
			t.Errorf("name %q: %v, want an error that is not ErrMalformed", name, err)
		}
	}
}
