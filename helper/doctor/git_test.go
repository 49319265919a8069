package doctor

import (
	"context"
	"strings"
	"testing"
)

func TestCheckGit(t *testing.T) {
	const host = "demo-111122223333.d.codeartifact.us-east-1.amazonaws.com"
	tests := []struct {
		name    string
		helpers []string // "SCOPE:COMMAND" for a scope other than global
		missing bool
		err     string
		want    Status
		detail  string
		fix     string
	}{
		{name: "no git", missing: true, want: Skip, detail: "git not found on PATH"},
		{name: "config unreadable", err: "exit status 3: bad config line 2", want: Warn, detail: "cannot read git's config: exit status 3"},
		{name: "no helper", want: Skip, detail: "git does not ask ca-helper for " + host},
		{name: "another helper only", helpers: []string{"store"}, want: Skip, detail: "git does not ask ca-helper for " + host},
		{name: "ca-helper alone", helpers: []string{"codeartifact"}, want: OK, detail: "git asks only ca-helper (codeartifact) for " + host},
		{name: "ca-helper by path", helpers: []string{"/home/u/.local/bin/git-credential-codeartifact --profile dev"}, want: OK},
		{name: "ca-helper as a shell command", helpers: []string{"!ca-helper credential"}, want: OK},
		{name: "store before ca-helper", helpers: []string{"store", "codeartifact"}, want: Warn,
			detail: "git also runs credential helper store for " + host + ": git hands it the token ca-helper gave out",
			fix: `git config --global credential.https://*.d.codeartifact.*.amazonaws.com.helper "" && ` +
				`git config --global --add credential.https://*.d.codeartifact.*.amazonaws.com.helper codeartifact`},
		{name: "the fix goes where the last other helper is", helpers: []string{"system:cache", "codeartifact", "local:store"}, want: Warn,
			detail: "helper cache, store for", fix: `git config --local credential.https://*.d.codeartifact.*.amazonaws.com.helper ""`},
		{name: "a helper on the command line", helpers: []string{"codeartifact", "command:store"}, want: Warn,
			fix: "drop it from git's command line (-c)"},
		{name: "store after ca-helper", helpers: []string{"codeartifact", "store --file /tmp/creds"}, want: Warn,
			detail: "(store: in plain text in ~/.git-credentials"},
		{name: "cache", helpers: []string{"codeartifact", "cache --timeout 3600"}, want: Warn,
			detail: "git also runs credential helper cache --timeout 3600 for " + host},
		{name: "a keychain", helpers: []string{"osxkeychain", "codeartifact"}, want: Warn, detail: "helper osxkeychain for"},
		{name: "a look-alike name", helpers: []string{"codeartifact", "codeartifact-store"}, want: Warn, detail: "helper codeartifact-store for"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := Git{Host: host, Missing: tt.missing, Err: tt.err}
			for _, h := range tt.helpers {
				scope, command, ok := strings.Cut(h, ":")
				if !ok || strings.ContainsAny(scope, " /!") {
					scope, command = "global", h
				}
				g.Helpers = append(g.Helpers, GitHelper{Command: command, Scope: scope})
			}
			got := checkGit(context.Background(), &state{setup: Setup{Git: g}})
			if got.Status != tt.want || !strings.Contains(got.Detail, tt.detail) || !strings.Contains(got.Fix, tt.fix) {
				t.Errorf("%s %q (fix %q); want %s with %q, fix with %q", got.Status, got.Detail, got.Fix, tt.want, tt.detail, tt.fix)
			}
		})
	}
}

func TestOwnGitHelper(t *testing.T) {
	for h, want := range map[string]bool{
		"codeartifact":                               true,
		"codeartifact --profile dev":                 true,
		" codeartifact ":                             true,
		"/usr/local/bin/git-credential-codeartifact": true,
		`C:\tools\ca-helper.exe credential`:          true,
		"!ca-helper credential":                      true,
		"!/opt/bin/ca-helper credential":             true,
		"ca-helper":                                  false, // git runs git-credential-ca-helper
		"store":                                      false,
		"!f() { echo password=x; }; f":               false,
		"/usr/bin/git-credential-store":              false,
		"":                                           false,
		"!":                                          false,
	} {
		if got := OwnGitHelper(h); got != want {
			t.Errorf("OwnGitHelper(%q) = %v, want %v", h, got, want)
		}
	}
}
