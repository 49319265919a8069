package doctor

import (
	"context"
	"slices"
	"strings"
)

// Git is what the git check knows of the credential helpers git runs for a
// CodeArtifact host. The command reads it from git's config (package
// gather), so the check itself runs nothing.
type Git struct {
	Host    string      // the CodeArtifact host git's config was matched against
	Helpers []GitHelper // the helpers git runs for Host, in order
	Missing bool        // no git on PATH
	Err     string      // git's config could not be read
}

// GitHelper is one credential.helper value and where git read it.
type GitHelper struct {
	Command string // the value, e.g. "store" or "codeartifact"
	Scope   string // system, global, local, worktree or command (git config --show-scope)
}

// resetGitHelpers is the fix for a storing helper read from scope: an
// empty value resets git's list of helpers for the URLs that match, so
// CodeArtifact hosts keep ca-helper alone while every other host keeps its
// helpers. Written to the same file, it comes after the other helper.
func resetGitHelpers(scope string) string {
	const key = "credential.https://*.d.codeartifact.*.amazonaws.com.helper"
	if scope == "command" {
		return "drop it from git's command line (-c) or from GIT_CONFIG_PARAMETERS/GIT_CONFIG_COUNT"
	}
	flag := "--" + scope
	if scope != "system" && scope != "local" && scope != "worktree" {
		flag = "--global"
	}
	return "git config " + flag + " " + key + ` "" && git config ` + flag + " --add " + key + " codeartifact"
}

// checkGit warns when git runs another credential helper beside ca-helper's
// for CodeArtifact hosts. After a fetch or push that worked, git hands the
// credential it used to every helper (`git credential approve`), so the
// other one keeps a copy of the token: `store` in plain text in
// ~/.git-credentials, which outlives the token. It is a warning, not a
// failure: ca-helper's tokens still work.
func checkGit(_ context.Context, s *state) Result {
	g := s.setup.Git
	var ours, others []string
	scope := ""
	for _, h := range g.Helpers {
		if OwnGitHelper(h.Command) {
			ours = append(ours, h.Command)
		} else {
			others, scope = append(others, h.Command), h.Scope
		}
	}
	switch {
	case g.Missing:
		return skip("git not found on PATH")
	case g.Err != "":
		return warn("cannot read git's config: "+g.Err, `run git config --show-scope --get-regexp "^credential\..*helper$" to see why`)
	case len(ours) == 0:
		return skip("git does not ask ca-helper for " + g.Host)
	case len(others) == 0:
		return ok("git asks only ca-helper (" + strings.Join(ours, ", ") + ") for " + g.Host)
	}
	detail := "git also runs credential helper " + strings.Join(others, ", ") + " for " + g.Host +
		": git hands it the token ca-helper gave out after each fetch or push, and it keeps a copy"
	if slices.ContainsFunc(others, func(h string) bool { f := strings.Fields(h); return len(f) > 0 && f[0] == "store" }) {
		detail += " (store: in plain text in ~/.git-credentials, long after the token expired)"
	}
	return warn(detail, "keep CodeArtifact hosts to ca-helper: "+resetGitHelpers(scope)+
		"; then delete the copy it kept (store: the host's line in ~/.git-credentials)")
}

// OwnGitHelper reports whether a credential.helper value runs ca-helper:
// "codeartifact" (git runs git-credential-codeartifact), or a path or a
// "!" shell command whose program is git-credential-codeartifact or
// ca-helper. Any other bare name NAME is git-credential-NAME.
func OwnGitHelper(helper string) bool {
	h := strings.TrimSpace(helper)
	shell := strings.HasPrefix(h, "!")
	f := strings.Fields(strings.TrimPrefix(h, "!"))
	if len(f) == 0 {
		return false
	}
	if !shell && !strings.ContainsAny(f[0], `/\`) {
		return f[0] == "codeartifact"
	}
	prog := strings.ToLower(f[0][strings.LastIndexAny(f[0], `/\`)+1:])
	prog = strings.TrimSuffix(prog, ".exe")
	return prog == "git-credential-codeartifact" || prog == "ca-helper"
}
