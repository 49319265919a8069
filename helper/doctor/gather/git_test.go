package gather

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/helper/target"
)

const gitHost = "demo-111122223333.d.codeartifact.us-east-1.amazonaws.com"

// fakeGitConfig answers `git config --null --show-scope --get-regexp` with
// entries, each "key=value" ("key" alone for a key without a value), or
// with err. A "scope:" prefix sets the scope of the entries that follow
// (global before the first).
func fakeGitConfig(err error, entries ...string) GitConfig {
	return func(_ context.Context, args ...string) (string, error) {
		if !slices.Equal(args, []string{"--null", "--show-scope", "--get-regexp", `^credential\..*helper$`}) {
			return "", errors.New("unexpected arguments " + strings.Join(args, " "))
		}
		var b strings.Builder
		scope := "global"
		for _, e := range entries {
			if s, ok := strings.CutPrefix(e, "scope:"); ok {
				scope = s
				continue
			}
			k, v, ok := strings.Cut(e, "=")
			b.WriteString(scope + "\x00" + k)
			if ok {
				b.WriteString("\n" + v)
			}
			b.WriteByte(0)
		}
		return b.String(), err
	}
}

func TestGitHelpers(t *testing.T) {
	tests := []struct {
		name    string
		config  GitConfig
		want    []string // "SCOPE:COMMAND" for a scope other than global
		missing bool
		err     string
	}{
		{"no git", fakeGitConfig(ErrNoGit), nil, true, ""},
		{"git fails", fakeGitConfig(errors.New("bad config line 3\nin file x")), nil, false, "bad config line 3 in file x"},
		{"nothing configured", fakeGitConfig(nil), nil, false, ""},
		{"general helpers in order", fakeGitConfig(nil, "credential.helper=store", "scope:local", "credential.helper=codeartifact"),
			[]string{"store", "local:codeartifact"}, false, ""},
		{"an empty value clears the list", fakeGitConfig(nil, "credential.helper=store", "credential.helper=", "credential.helper=codeartifact"),
			[]string{"codeartifact"}, false, ""},
		{"reset for CodeArtifact hosts by wildcard", fakeGitConfig(nil, "credential.helper=store",
			"credential.https://*.d.codeartifact.*.amazonaws.com.helper=", "credential.https://*.d.codeartifact.*.amazonaws.com.helper=codeartifact"),
			[]string{"codeartifact"}, false, ""},
		{"helpers for other hosts do not count", fakeGitConfig(nil, "credential.helper=codeartifact",
			"credential.https://github.com.helper=store", "credential.https://source.developers.google.com.helper=gcloud.sh",
			"credential.http://"+gitHost+".helper=cache", "credential.https://"+gitHost+"/repo.git.helper=cache",
			"credential.https://"+gitHost+":8443.helper=cache", "credential.https://*.codeartifact.*.amazonaws.com.helper=cache"),
			[]string{"codeartifact"}, false, ""},
		{"helpers for this host count", fakeGitConfig(nil, "credential.helper=codeartifact",
			"credential.https://"+strings.ToUpper(gitHost)+".helper=store", "credential.https://aws@"+gitHost+":443/.helper=cache",
			"credential."+gitHost+".helper=osxkeychain", "credential.https://.helper=wincred", "credential.https://*.*.*.*.amazonaws.com.helper=manager"),
			[]string{"codeartifact", "store", "cache", "osxkeychain", "wincred", "manager"}, false, ""},
		{"other keys", fakeGitConfig(nil, "credential.helper=codeartifact", "credential.helperx=store", "credential.usehttppath=true", "credential.helper"),
			[]string{"codeartifact"}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := Git(context.Background(), tt.config, gitHost)
			var got []string
			for _, h := range g.Helpers {
				if h.Scope != "global" {
					h.Command = h.Scope + ":" + h.Command
				}
				got = append(got, h.Command)
			}
			if !slices.Equal(got, tt.want) || g.Missing != tt.missing || g.Err != tt.err || g.Host != gitHost {
				t.Errorf("Git = %+v, want helpers %q, missing %v, err %q", g, tt.want, tt.missing, tt.err)
			}
		})
	}
}

func TestGitHost(t *testing.T) {
	for _, tt := range []struct {
		t    target.Target
		want string
	}{
		{target.Target{Domain: "demo", Owner: "111122223333", Region: "eu-west-1"}, "demo-111122223333.d.codeartifact.eu-west-1.amazonaws.com"},
		{target.Target{Domain: "demo", Region: "cn-north-1"}, "demo-000000000000.d.codeartifact.cn-north-1.amazonaws.com.cn"},
		{target.Target{}, "domain-000000000000.d.codeartifact.us-east-1.amazonaws.com"},
	} {
		if got := GitHost(tt.t); got != tt.want {
			t.Errorf("GitHost(%+v) = %q, want %q", tt.t, got, tt.want)
		}
	}
}
