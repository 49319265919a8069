package test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// resetForCodeArtifact is what doctor's fix says to run for a storing
// helper in the repository's config: CodeArtifact hosts keep ca-helper alone.
var resetForCodeArtifact = [][]string{
	{"--local", "credential.https://*.d.codeartifact.*.amazonaws.com.helper", ""},
	{"--local", "--add", "credential.https://*.d.codeartifact.*.amazonaws.com.helper", "codeartifact"},
}

const resetFix = `git config --local credential.https://*.d.codeartifact.*.amazonaws.com.helper "" && ` +
	`git config --local --add credential.https://*.d.codeartifact.*.amazonaws.com.helper codeartifact`

// TestGitStoringHelperKeepsTheToken configures, in a repository, git's
// `store` helper before or after ca-helper's, as users do who keep other
// hosts' passwords. After `git credential fill` and the `approve` git sends
// when a fetch worked, store has the CodeArtifact token in plain text in
// ~/.git-credentials. ca-helper's answer carries password_expiry_utc, so a
// git that knows it (2.41 and later) keeps the expiry with the token and
// drops it once expired; `doctor` warns about the set-up, and the reset its
// fix names keeps the token out of the other helper.
func TestGitStoringHelperKeepsTheToken(t *testing.T) {
	modern := gitAtLeast(t, 2, 41)
	for _, order := range [][]string{{"store", "codeartifact"}, {"codeartifact", "store"}} {
		t.Run(strings.Join(order, "-then-"), func(t *testing.T) {
			h := newHarness(t, fake.Options{})
			repo := gitRepo(t, h)
			for _, helper := range order {
				mustGit(t, h, repo, "config", "--add", "credential.helper", helper)
			}

			tok, fill := gitFill(t, h, repo)
			exp, ok := h.fake.TokenExpiry(tok)
			if !ok {
				t.Fatalf("git got a token the fake did not issue")
			}
			expiry := "password_expiry_utc=" + strconv.FormatInt(exp.Unix(), 10) + "\n"
			own := h.runIn(repo, []byte("protocol=https\nhost="+caHost+"\n\n"), "git-credential-codeartifact", "get")
			if !strings.Contains(own.stdout, "password="+tok+"\n"+expiry) {
				t.Errorf("ca-helper's answer lacks %q", expiry)
			}
			if modern != strings.Contains(fill, expiry) {
				t.Errorf("git 2.41 or later: %v, but the expiry in git's answer: %v", modern, !modern)
			}
			gitApprove(t, h, repo, fill)
			if stored, _ := os.ReadFile(filepath.Join(h.home, ".git-credentials")); !strings.Contains(string(stored), tok) {
				t.Fatalf("git's store helper did not keep the token; the set-up this test is about did not happen")
			}

			c := gitCheck(t, h, repo)
			if c.status != "warn" || !strings.Contains(c.detail, "git also runs credential helper store for "+caHost) ||
				!strings.Contains(c.detail, "~/.git-credentials") || !strings.Contains(c.fix, resetFix) {
				t.Errorf("doctor's git check: %+v, want a warning about store with the reset as fix", c)
			}

			// The fix: reset the list for CodeArtifact hosts after store.
			// It also shows that doctor reads git's config as git does.
			for _, args := range resetForCodeArtifact {
				mustGit(t, h, repo, append([]string{"config"}, args...)...)
			}
			os.Remove(filepath.Join(h.home, ".git-credentials"))
			_, fill = gitFill(t, h, repo)
			gitApprove(t, h, repo, fill)
			if fileExists(filepath.Join(h.home, ".git-credentials")) {
				t.Error("after the reset git still gave the token to store")
			}
			if c := gitCheck(t, h, repo); c.status != "ok" {
				t.Errorf("doctor's git check after the reset: %+v, want ok", c)
			}
		})
	}
}

// TestDoctorGitCheckWithoutStoringHelper: ca-helper's helper alone is fine,
// and no helper at all is not doctor's business.
func TestDoctorGitCheckWithoutStoringHelper(t *testing.T) {
	h := newHarness(t, fake.Options{})
	repo := gitRepo(t, h)
	if c := gitCheck(t, h, repo); c.status != "skip" || c.detail != "git does not ask ca-helper for "+caHost {
		t.Errorf("no helper: %+v", c)
	}
	mustGit(t, h, "", "config", "--global", "credential.helper", "codeartifact")
	if c := gitCheck(t, h, repo); c.status != "ok" || c.detail != "git asks only ca-helper (codeartifact) for "+caHost {
		t.Errorf("ca-helper alone: %+v", c)
	}
}

// gitRepo makes a repository with a global git config of its own
// (GIT_CONFIG_GLOBAL, empty): nothing of the user's git set-up counts.
func gitRepo(t *testing.T, h *harness) string {
	t.Helper()
	global := filepath.Join(h.home, "gitconfig")
	writeFile(t, global, "")
	h.env["GIT_CONFIG_GLOBAL"] = global
	h.env["GIT_TERMINAL_PROMPT"] = "0"
	repo := t.TempDir()
	mustGit(t, h, repo, "init", "-q")
	return repo
}

func mustGit(t *testing.T, h *harness, dir string, args ...string) string {
	t.Helper()
	r := h.runIn(dir, nil, "git", args...)
	if r.code != 0 {
		t.Fatalf("git %s: %s", strings.Join(args, " "), r)
	}
	return r.stdout
}

// gitFill is `git credential fill` for caHost: the token and all of git's answer.
func gitFill(t *testing.T, h *harness, repo string) (string, string) {
	t.Helper()
	r := h.runIn(repo, []byte("protocol=https\nhost="+caHost+"\n\n"), "git", "credential", "fill")
	for _, line := range strings.Split(r.stdout, "\n") {
		if tok, ok := strings.CutPrefix(line, "password="); ok && r.code == 0 && h.fake.ValidToken(tok) {
			return tok, r.stdout
		}
	}
	t.Fatalf("git credential fill gave no token of the fake: %s", r)
	return "", ""
}

// gitApprove tells git the credential worked, as git does after a fetch.
func gitApprove(t *testing.T, h *harness, repo, credential string) {
	t.Helper()
	if r := h.runIn(repo, []byte(credential+"\n"), "git", "credential", "approve"); r.code != 0 {
		t.Fatalf("git credential approve: %s", r)
	}
}

// gitCheck is the git line of `ca-helper doctor` run in dir.
func gitCheck(t *testing.T, h *harness, dir string) doctorLine {
	t.Helper()
	r := h.runIn(dir, nil, "ca-helper", "doctor")
	checks, _ := parseDoctor(t, r.stdout)
	c, ok := checks["git"]
	if !ok {
		t.Fatalf("doctor has no git check: %s", r)
	}
	return c
}

// gitAtLeast reports whether the git on PATH is major.minor or later.
func gitAtLeast(t *testing.T, major, minor int) bool {
	t.Helper()
	out, err := runCmd("git", "version")
	var ma, mi int
	if _, serr := fmt.Sscanf(out, "git version %d.%d", &ma, &mi); err != nil || serr != nil {
		t.Fatalf("git version: %q %v %v", out, err, serr)
	}
	return ma > major || ma == major && mi >= minor
}
