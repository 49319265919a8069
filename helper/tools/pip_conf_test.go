package tools

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

const (
	iniEP     = "https://my-domain-111122223333.d.codeartifact.eu-west-1.amazonaws.com/pypi/releases/"
	pipIdx    = "index-url = " + iniEP + "simple/"
	pipGlobal = "[global]\n" + pipIdx + "\n"
	pipToken  = "eyJ2ZXIiOjEsImlzdSI6MTcwMDAwMDAwMH0.literal-pip-token"
)

func TestPipConfMerge(t *testing.T) {
	loginURL := "https://aws:" + pipToken + "@my-domain-111122223333.d.codeartifact.eu-west-1.amazonaws.com/pypi/releases/simple/"
	tests := []struct {
		name     string
		existing string // "<nil>": no file
		want     string
		changes  int
		literal  bool
	}{
		{name: "new file", existing: "<nil>", want: pipGlobal, changes: 2},
		{name: "empty file", existing: "", want: pipGlobal, changes: 2},
		{name: "other sections and comments kept byte for byte",
			existing: "# mine\n[install]\nno-compile = true\n; more\n",
			want:     "# mine\n[install]\nno-compile = true\n; more\n\n" + pipGlobal, changes: 2},
		{name: "index-url added after the last key of [global]",
			existing: "[global]\ntimeout = 60\nextra-index-url =\n    https://a.example/simple/\n    https://b.example/simple/\n\n# c\n[install]\nindex-url = https://pypi.org/simple/\n",
			want: "[global]\ntimeout = 60\nextra-index-url =\n    https://a.example/simple/\n    https://b.example/simple/\n" + pipIdx + "\n\n# c\n" +
				"[install]\nindex-url = https://pypi.org/simple/\n", changes: 1},
		{name: "token from aws codeartifact login replaced in place",
			existing: "[global]\nindex-url = " + loginURL + "\ntrusted-host = x\n",
			want:     pipGlobal + "trusted-host = x\n", changes: 1, literal: true},
		{name: "spelling, delimiter and indentation kept",
			existing: "[GLOBAL]\n  Index_URL:https://pypi.org/simple/\r\n  timeout=1",
			want:     "[GLOBAL]\n  Index_URL:" + iniEP + "simple/\r\n  timeout=1", changes: 1},
		{name: "new key indented like its section's keys, CRLF file",
			existing: "[global]\r\n  timeout = 1\r\n",
			want:     "[global]\r\n  timeout = 1\r\n  " + pipIdx + "\r\n", changes: 1},
		{name: "last line without newline", existing: "[global]\ntimeout = 1",
			want: "[global]\ntimeout = 1\n" + pipIdx + "\n", changes: 1},
		{name: "already set up: identical", existing: "[global]\nindex-url=" + iniEP + "simple/  \n",
			want: "[global]\nindex-url=" + iniEP + "simple/  \n"},
		{name: "an inline # is part of the value, as configparser reads it",
			existing: "[global]\nindex-url = " + iniEP + "simple/ # mine\n", want: pipGlobal, changes: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkMerge(t, pipConf{}, existingFile(tt.existing), Registry{Endpoint: iniEP, Name: "releases"}, tt.want, tt.changes, tt.literal, pipToken)
		})
	}
}

func TestPipConfMergeRefuses(t *testing.T) {
	tok := "https://aws:" + pipToken + "@h/simple/"
	for name, existing := range map[string]string{
		"key before any section":          "index-url = x\n[global]\n",
		"line without =":                  "[global]\nindex-url\n",
		"section twice":                   "[global]\n[install]\n[global]\n",
		"global twice in pip's eyes":      "[global]\na = 1\n[GLOBAL]\nb = 2\n",
		"index-url twice in pip's eyes":   "[global]\nindex-url = " + tok + "\nindex_url = y\n",
		"index-url over continuation":     "[global]\nindex-url =\n    " + tok + "\n",
		"index-url in a continuation":     "[global]\ntimeout = 60\n    index-url = " + tok + "\n",
		"index-url in [DEFAULT]":          "[DEFAULT]\nindex-url = " + tok + "\n",
		"bare CR":                         "[global]\rindex-url = x\n",
		"control character":               "[global]\na = \x1b[1m\n",
		"NUL":                             "[global]\x00\n",
		"not UTF-8":                       "[global]\na = \xff\n",
		"continued header of the section": "[install]\na = 1\n  [global]\n",
	} {
		out, _, err := pipConf{}.Merge([]byte(existing), Registry{Endpoint: iniEP})
		if !errors.Is(err, ErrMalformed) || out != nil || strings.Contains(err.Error(), pipToken) {
			t.Errorf("%s: Merge = %q, %v; want ErrMalformed without the token", name, out, err)
		}
	}
	for _, ep := range []string{"ftp://h/pypi/r/", "https://u:p@h/pypi/r/", "https://h/p?q=1"} {
		if _, _, err := (pipConf{}).Merge(nil, Registry{Endpoint: ep}); err == nil || errors.Is(err, ErrMalformed) {
			t.Errorf("endpoint %q: %v, want an error that is not ErrMalformed", ep, err)
		}
	}
}

func TestPipUserPath(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	appSupport := filepath.Join("/h", "Library", "Application Support", "pip")
	for _, tt := range []struct {
		goos   string
		getenv func(string) string
		isDir  bool
		want   string
	}{
		{"linux", env(), false, filepath.Join("/h", ".config", "pip", "pip.conf")},
		{"linux", env("XDG_CONFIG_HOME", "/x"), false, filepath.Join("/x", "pip", "pip.conf")},
		{"freebsd", env("XDG_CONFIG_HOME", "  "), false, filepath.Join("/h", ".config", "pip", "pip.conf")},
		{"linux", env("PIP_CONFIG_FILE", "/etc/mine.conf", "XDG_CONFIG_HOME", "/x"), false, "/etc/mine.conf"},
		{"linux", env("PIP_CONFIG_FILE", "/dev/null"), false, filepath.Join("/h", ".config", "pip", "pip.conf")},
		{"darwin", env("XDG_CONFIG_HOME", "/x"), false, filepath.Join("/h", ".config", "pip", "pip.conf")},
		{"darwin", env(), true, filepath.Join(appSupport, "pip.conf")},
		{"windows", env("APPDATA", "/a"), false, filepath.Join("/a", "pip", "pip.ini")},
		{"windows", env(), false, filepath.Join("/h", "AppData", "Roaming", "pip", "pip.ini")},
	} {
		got := pipUserPath(tt.goos, tt.getenv, "/h", func(d string) bool { return tt.isDir && d == appSupport })
		if got != tt.want {
			t.Errorf("%s: %q, want %q", tt.goos, got, tt.want)
		}
	}
	if p := (pipConf{}).Path("/h", "/project"); p != "" {
		t.Errorf("pip has a project file: %q", p)
	}
}
