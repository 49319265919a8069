package command

import (
	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
	"github.com/ca-helper/ca-helper/helper/tokens"
)

func getCommand(e *cmdenv.Env) *cli.Command {
	return &cli.Command{
		Name:      "get",
		Usage:     "print a token valid for at least --min-ttl (stdout: the token and a newline)",
		UsageText: "ca-helper get [--domain D --domain-owner O --region R | --url URL | --target NAME] [options]",
		Flags: append(append(cmdenv.TargetFlags(), cmdenv.TokenFlags()...),
			&cli.StringFlag{Name: "format", Value: "token", Usage: "token, json or env"},
			&cli.StringFlag{Name: "shell", Value: "sh", Usage: "for --format env: sh, bash, zsh, fish or powershell"},
			&cli.StringFlag{Name: "env-var", Value: "CODEARTIFACT_AUTH_TOKEN", Usage: "variable name for --format env"},
			&cli.BoolFlag{Name: "refresh", Usage: "fetch a new token now and cache it"},
			&cli.BoolFlag{Name: "no-cache", Usage: "neither read nor write the cache"},
		),
		Action: func(c *cli.Context) error {
			format := tokens.Output{Format: c.String("format"), Shell: c.String("shell"), EnvVar: c.String("env-var")}
			if err := format.Check(); err != nil {
				return err
			}
			t, o, err := e.Resolve(c)
			if err != nil {
				return err
			}
			if c.Bool("no-cache") {
				o.Cache = "none"
			}
			entry, err := tokens.Get(c.Context, e.TokenEnv(), t, o, c.Bool("refresh"))
			if err != nil {
				return err
			}
			return format.Write(e.Stdout, entry, t)
		},
	}
}
