package command

import (
	"slices"
	"strings"
	"testing"
)

func TestComplete(t *testing.T) {
	tests := []struct {
		name  string
		args  []string // after __complete
		want  []string // among the candidates
		never []string // not among them
		none  bool     // no candidate at all
	}{
		{name: "command", args: []string{"--current=ge"}, want: []string{"get"}, never: []string{"status"}},
		{name: "all commands", args: []string{"--current="}, want: []string{"get", "status", "completion", "maven", "help"}, never: []string{"__complete", "h"}},
		{name: "flag of get", args: []string{"--current=--min", "get"}, want: []string{"--min-ttl"}},
		{name: "flags of status", args: []string{"--current=--", "status"}, want: []string{"--cache", "--format"}, never: []string{"--duration", "--timeout"}},
		{name: "subcommand", args: []string{"--current=in", "maven"}, want: []string{"install"}},
		{name: "flag value", args: []string{"--current=f", "get", "--cache"}, want: []string{"file"}, never: []string{"none"}},
		{name: "format of get", args: []string{"--current=", "get", "--format"}, want: []string{"token", "json", "env"}},
		{name: "format of status", args: []string{"--current=", "status", "--format"}, want: []string{"text", "json"}},
		{name: "after a value", args: []string{"--current=--re", "get", "--domain", "d"}, want: []string{"--refresh", "--region", "--repository"}},
		{name: "shells", args: []string{"--current=", "completion"}, want: []string{"bash", "zsh", "fish", "powershell"}},
		{name: "global flag", args: []string{"--current=--ver"}, want: []string{"--version"}},
		{name: "exec's command", args: []string{"--current=", "exec", "--"}, none: true},
		{name: "no argument to get", args: []string{"--current=", "get"}, none: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sys := newSystem(t)
			code, out, errOut := sys.run(append([]string{"__complete"}, tt.args...)...)
			got := strings.Fields(out)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			if tt.none && len(got) != 0 {
				t.Errorf("offered %v, want nothing", got)
			}
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("offered %v, want %s among them", got, w)
				}
			}
			for _, w := range tt.never {
				if slices.Contains(got, w) {
					t.Errorf("offered %v, want no %s", got, w)
				}
			}
		})
	}
}

// TestCompleteGetFetchesNothing completes after `get` with an AWS that
// refuses every call and a token file that is not there: completing must
// not resolve a target, read a cache or ask AWS.
func TestCompleteGetFetchesNothing(t *testing.T) {
	sys := newSystem(t)
	sys.setenv("CA_HELPER_TOKEN_FILE", "/nonexistent/token.json")
	sys.setenv("CA_HELPER_CACHE_DIR", "/nonexistent/cache")
	code, out, errOut := sys.run("__complete", "--current=--no", "get", "--domain", "d", "--domain-owner", "111122223333")
	if code != 0 || strings.TrimSpace(out) != "--no-cache" || errOut != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestCompletionScriptsCallOnlyComplete(t *testing.T) {
	for _, shell := range completionShells {
		code, out, _ := newSystem(t).run("completion", shell)
		if code != 0 || out != completionScripts[shell] || !strings.Contains(out, "ca-helper __complete ") && !strings.Contains(out, "ca-helper __complete \"") {
			t.Errorf("%s: exit %d, script calls no __complete:\n%s", shell, code, out)
		}
		for _, cmd := range []string{"ca-helper get", "ca-helper exec", "CODEARTIFACT_AUTH_TOKEN"} {
			if strings.Contains(out, cmd) {
				t.Errorf("%s: the script mentions %q", shell, cmd)
			}
		}
	}
}

func TestClosest(t *testing.T) {
	cands := []string{"get", "erase", "status", "exec", "settings", "maven", "policy", "doctor", "version", "completion"}
	tests := []struct{ word, want string }{
		{"gte", "get"}, {"ge", "get"}, {"stauts", "status"}, {"docter", "doctor"}, {"setings", "settings"},
		{"stat", "status"}, {"versoin", "version"}, {"xyzzy", ""}, {"e", ""}, {"mvn", ""},
	}
	for _, tt := range tests {
		if got := closest(tt.word, cands); got != tt.want {
			t.Errorf("closest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}
