package gather

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"time"

	"github.com/ca-helper/ca-helper/helper/doctor"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/target"
)

// GitConfig runs `git config ARGS` and returns what it printed; "nothing
// found" (exit status 1) is no error, and ErrNoGit says git is not there.
// Tests pass a fake.
type GitConfig func(ctx context.Context, args ...string) (string, error)

// ErrNoGit is GitConfig's error when there is no git to run.
var ErrNoGit = errors.New("git not found")

// ExecGit is the GitConfig of the git on PATH, run in dir with env (what a
// child of ca-helper inherits): a repository's own config,
// GIT_CONFIG_GLOBAL and GIT_CONFIG_NOSYSTEM count as they do for git.
func ExecGit(dir string, env []string) GitConfig {
	return func(ctx context.Context, args ...string) (string, error) {
		path, err := exec.LookPath("git")
		if err != nil {
			return "", ErrNoGit
		}
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, path, append([]string{"config"}, args...)...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.Output()
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == 1 {
			return "", nil
		}
		if err != nil && exit != nil && len(exit.Stderr) > 0 {
			err = errors.New(failure.OneLine(string(exit.Stderr)))
		}
		return string(out), err
	}
}

// GitHost is the CodeArtifact host of t that the git check matches git's
// config against; a field t lacks is filled with a stand-in, which the
// usual wildcard patterns still match.
func GitHost(t target.Target) string {
	ep := target.Endpoint{Domain: t.Domain, Owner: t.Owner, Region: t.Region}
	if ep.Domain == "" {
		ep.Domain = "domain"
	}
	if ep.Owner == "" {
		ep.Owner = "000000000000"
	}
	if ep.Region == "" {
		ep.Region = "us-east-1"
	}
	return ep.Host()
}

// Git lists the credential helpers git runs for https://host, as git
// itself builds the list: every credential.helper and every
// credential.URL.helper whose URL matches, in the order git reads its
// config files, an empty value clearing what came before.
func Git(ctx context.Context, config GitConfig, host string) doctor.Git {
	g := doctor.Git{Host: host}
	out, err := config(ctx, "--null", "--show-scope", "--get-regexp", `^credential\..*helper$`)
	switch {
	case errors.Is(err, ErrNoGit):
		g.Missing = true
		return g
	case err != nil:
		g.Err = failure.OneLine(err.Error())
		return g
	}
	// --null --show-scope: "SCOPE\0KEY\nVALUE\0" per value.
	fields := strings.Split(out, "\x00")
	for i := 0; i+1 < len(fields); i += 2 {
		key, value, hasValue := strings.Cut(fields[i+1], "\n")
		pattern, ok := helperPattern(key)
		if !ok || !hasValue || (pattern != "" && !matchesHost(pattern, host)) {
			continue // a helper key without "=" is an error to git, not a reset
		}
		if value = strings.TrimSpace(value); value == "" {
			g.Helpers = nil
		} else {
			g.Helpers = append(g.Helpers, doctor.GitHelper{Command: value, Scope: fields[i]})
		}
	}
	return g
}

// helperPattern is the URL of a credential.URL.helper key ("" for
// credential.helper); ok=false for any other key.
func helperPattern(key string) (string, bool) {
	if key == "credential.helper" {
		return "", true
	}
	rest, ok := strings.CutPrefix(key, "credential.")
	if !ok {
		return "", false
	}
	pattern, ok := strings.CutSuffix(rest, ".helper")
	return pattern, ok && pattern != ""
}

// matchesHost reports whether a credential.URL pattern applies to
// https://host, by git's rules (urlmatch.c): the scheme, if given, is
// https; the host matches label by label, "*" standing for any one label;
// a port, if given, is 443; a path, if given, is "/". A user name in the
// pattern is ignored: a remote URL may carry one.
func matchesHost(pattern, host string) bool {
	rest := pattern
	if scheme, after, ok := strings.Cut(pattern, "://"); ok {
		if !strings.EqualFold(scheme, "https") {
			return false
		}
		rest = after
	}
	hostport, path, _ := strings.Cut(rest, "/")
	if path != "" {
		return false
	}
	if i := strings.LastIndexByte(hostport, '@'); i >= 0 {
		hostport = hostport[i+1:]
	}
	h, port, hasPort := strings.Cut(hostport, ":")
	if hasPort && port != "443" {
		return false
	}
	if h == "" {
		return true // "https://" matches every https URL
	}
	want, got := strings.Split(strings.ToLower(h), "."), strings.Split(host, ".")
	if len(want) != len(got) {
		return false
	}
	for i := range want {
		if want[i] != "*" && want[i] != got[i] {
			return false
		}
	}
	return true
}
