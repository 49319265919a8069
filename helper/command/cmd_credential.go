package command

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/credproto"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/helper/tokens"
	"github.com/ca-helper/ca-helper/keyring"
)

// credentialFlags are what a credential helper can be told on its command
// line. Domain, owner and region come from the host of each request.
func credentialFlags() []cli.Flag {
	return append([]cli.Flag{
		&cli.StringFlag{Name: "profile", Usage: "AWS profile (env AWS_PROFILE; default: the profile of a config target for the host)"},
		&cli.StringFlag{Name: "config", Usage: "config file (env CA_HELPER_CONFIG; default ~/.config/ca-helper/config.toml)"},
		&cli.BoolFlag{Name: "debug", Usage: "explain each step on stderr (never prints the token)"},
	}, tokenFlags()...)
}

func credentialCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "credential",
		Usage:     "git credential helper (also run as git-credential-codeartifact): get, store or erase",
		UsageText: "ca-helper credential [--profile P] get|store|erase\n\ngit config --global credential.helper codeartifact",
		Flags:     credentialFlags(),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return failure.Usagef("git runs a credential helper with one argument: get, store or erase",
					"credential wants one action, got %d arguments", c.NArg())
			}
			h := e.hostTokens(c)
			return protocolErr(credproto.Git(c.Context, c.Args().First(), e.stdin, e.stdout, h.lookup, h.erase))
		},
	}
}

func cargoCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "cargo-credential",
		Usage:     "Cargo credential provider (Cargo runs `ca-helper --cargo-plugin`)",
		UsageText: "ca-helper cargo-credential\n\n[registries.NAME] credential-provider = \"ca-helper\" in .cargo/config.toml",
		Flags:     append(credentialFlags(), &cli.BoolFlag{Name: "cargo-plugin", Hidden: true}),
		Action: func(c *cli.Context) error {
			if c.NArg() != 0 {
				return failure.Usagef("Cargo passes arguments in the JSON request, not on the command line",
					"cargo-credential takes no arguments, got %d", c.NArg())
			}
			h := e.hostTokens(c)
			// Cargo shows the provider's in-band error, not its hint line: put the hint in the message.
			lookup := func(ctx context.Context, host string) (string, time.Time, bool, error) {
				tok, exp, ok, err := h.lookup(ctx, host)
				if _, hint := failure.Classify(err); err != nil && hint != "" {
					err = fmt.Errorf("%w (hint: %s)", err, hint)
				}
				return tok, exp, ok, err
			}
			return protocolErr(credproto.Cargo(c.Context, e.stdin, e.stdout, lookup, h.erase))
		},
	}
}

func bazelCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "bazel-credential",
		Usage:     "Bazel credential helper (--credential_helper): get",
		UsageText: "ca-helper bazel-credential get",
		Flags:     credentialFlags(),
		Action: func(c *cli.Context) error {
			if c.Args().First() != "get" {
				return failure.Usagef("Bazel runs a credential helper as `HELPER get`",
					"bazel-credential supports only get, got %q", failure.Printable(c.Args().First()))
			}
			h := e.hostTokens(c)
			return protocolErr(credproto.Bazel(c.Context, e.stdin, e.stdout, h.lookup))
		},
	}
}

// protocolErr makes a malformed request a usage error (exit 2).
func protocolErr(err error) error {
	if errors.Is(err, credproto.ErrBadInput) {
		return failure.Usagef("the request on stdin must come from git, Cargo or Bazel", "%w", err)
	}
	return err
}

// hostTokens serves credential helpers: it maps the host of a request to a
// target and hands out that target's token through the token service.
type hostTokens struct {
	e  *env
	in *target.Inputs
}

func (e *env) hostTokens(c *cli.Context) *hostTokens {
	return &hostTokens{e: e, in: e.readInputs(c)}
}

func (h *hostTokens) lookup(ctx context.Context, host string) (string, time.Time, bool, error) {
	t, o, ok, err := h.resolve(host)
	if err != nil || !ok {
		return "", time.Time{}, false, err
	}
	entry, err := h.e.token(ctx, t, o, false)
	if err != nil {
		return "", time.Time{}, false, err
	}
	return entry.Token.Reveal(), entry.Expiration, true, nil
}

func (h *hostTokens) erase(_ context.Context, host string) (bool, error) {
	t, o, ok, err := h.resolve(host)
	if err != nil || !ok {
		return false, err
	}
	svc, err := h.e.service(o)
	if err != nil {
		return true, err
	}
	key := tokens.CacheKey(t, h.e.getenv)
	if err := svc.Store.Delete(key); err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return true, failure.Wrap(failure.Runtime, "check the cache backend with `ca-helper status`", fmt.Errorf("erase %s: %w", key.Label, err))
	}
	h.e.debugf("erased %s from %s", key.Label, svc.Store.Name())
	return true, nil
}

// resolve finds the target of a request for host, a lower-cased host name
// that may carry ":port". A CodeArtifact repository host names its domain,
// owner and region; any other host is ours only when a config target pins it
// with `host`. ok=false means the host is not ours.
//
// The profile comes from --profile, then a config target for the host, then
// AWS_PROFILE; the token options from flags, env, that target, defaults.
func (h *hostTokens) resolve(host string) (target.Target, target.Options, bool, error) {
	cfg, err := h.in.LoadConfig()
	if err != nil {
		return target.Target{}, target.Options{}, false, err
	}
	t := target.Target{Sources: map[string]string{}}
	if v, set := h.in.Flags["profile"]; set {
		if v == "" {
			return t, target.Options{}, false, failure.Usagef("give the flag a value or leave it out", "flag --profile is empty")
		}
		t.Set(target.Profile, v, "flag --profile")
	}
	ep, perr := target.ParseHost(host)
	name := targetForHost(cfg, host, ep, perr == nil)
	if perr != nil && name == "" {
		h.e.debugf("host %s is not a CodeArtifact host nor pinned in %s: not ours", failure.Printable(host), cfg.Path)
		return t, target.Options{}, false, nil
	}
	if perr == nil {
		source := "request host " + host
		t.Set(target.Domain, ep.Domain, source)
		t.Set(target.Owner, ep.Owner, source)
		t.Set(target.Region, ep.Region, source)
	}
	if name != "" {
		if err := target.ApplyConfigTarget(&t, h.in, name, "request host "+host); err != nil {
			return t, target.Options{}, false, err
		}
	}
	t.Set(target.Region, h.e.getenv("AWS_REGION"), "env AWS_REGION")
	t.Set(target.Region, h.e.getenv("AWS_DEFAULT_REGION"), "env AWS_DEFAULT_REGION")
	t.Set(target.Profile, h.e.getenv("AWS_PROFILE"), "env AWS_PROFILE")
	if err := t.Validate(); err != nil {
		return t, target.Options{}, false, err
	}
	o, err := target.ResolveOptions(h.in, t)
	if err != nil {
		return t, o, false, err
	}
	h.e.debugf("host %s is target %s (config target %q)", host, t, name)
	return t, o, true, nil
}

// targetForHost names the config target for host, or "". A target whose
// `host` is host wins. For a CodeArtifact host (isCA), a target with the same
// domain, and the same owner and region where it names them, comes next:
// the default target first, then by name.
func targetForHost(cfg *target.Config, host string, ep target.Endpoint, isCA bool) string {
	names := make([]string, 0, len(cfg.Targets))
	for n := range cfg.Targets {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if pinned := cfg.Targets[n].Host; pinned != "" && strings.ToLower(pinned) == host {
			return n
		}
	}
	if !isCA {
		return ""
	}
	matches := func(n string) bool {
		tc, ok := cfg.Targets[n]
		return ok && tc.Domain == ep.Domain && (tc.DomainOwner == "" || tc.DomainOwner == ep.Owner) &&
			(tc.Region == "" || tc.Region == ep.Region)
	}
	if cfg.Default != "" && matches(cfg.Default) {
		return cfg.Default
	}
	for _, n := range names {
		if matches(n) {
			return n
		}
	}
	return ""
}
