package command

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
	"github.com/ca-helper/ca-helper/helper/credproto"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/tokens"
)

// credentialFlags are what a credential helper can be told on its command
// line. Domain, owner and region come from the host of each request.
func credentialFlags() []cli.Flag {
	return append([]cli.Flag{
		&cli.StringFlag{Name: "profile", Usage: "AWS profile (default: the profile of a config target for the host)"},
		cmdenv.ConfigFlag(),
		cmdenv.DebugFlag(),
	}, cmdenv.TokenFlags()...)
}

func credentialCommand(e *cmdenv.Env) *cli.Command {
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
			h := hosts(e, c)
			return protocolErr(credproto.Git(c.Context, c.Args().First(), e.Stdin, e.Stdout, h.Lookup, h.Erase))
		},
	}
}

func cargoCommand(e *cmdenv.Env) *cli.Command {
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
			h := hosts(e, c)
			// Cargo shows the provider's in-band error, not its hint line: put the hint in the message.
			lookup := func(ctx context.Context, host string) (string, time.Time, bool, error) {
				tok, exp, ok, err := h.Lookup(ctx, host)
				if _, hint := failure.Classify(err); err != nil && hint != "" {
					err = fmt.Errorf("%w (hint: %s)", err, hint)
				}
				return tok, exp, ok, err
			}
			return protocolErr(credproto.Cargo(c.Context, e.Stdin, e.Stdout, lookup, h.Erase))
		},
	}
}

func bazelCommand(e *cmdenv.Env) *cli.Command {
	return &cli.Command{
		Name:      "bazel-credential",
		Usage:     "Bazel credential helper (--credential_helper): get",
		UsageText: "ca-helper bazel-credential get",
		Flags:     credentialFlags(),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 || c.Args().First() != "get" {
				return failure.Usagef("Bazel runs a credential helper as `HELPER get`",
					"bazel-credential supports only get, got %q", failure.Printable(strings.Join(c.Args().Slice(), " ")))
			}
			h := hosts(e, c)
			return protocolErr(credproto.Bazel(c.Context, e.Stdin, e.Stdout, h.Lookup))
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

// hosts serves a credential helper's requests with the flags it was given.
func hosts(e *cmdenv.Env, c *cli.Context) tokens.Hosts {
	return tokens.Hosts{Env: e.TokenEnv(), In: e.ReadInputs(c)}
}
