package setupcmd

import (
	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
	"github.com/ca-helper/ca-helper/helper/doctor/gather"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/interrupt"
)

func Doctor(e *cmdenv.Env) *cli.Command {
	return &cli.Command{
		Name:      "doctor",
		Usage:     "check config, credentials, region, network, permissions, repository, cache, clock, Maven and git; one line per check, with a fix",
		UsageText: "ca-helper doctor [--domain D --domain-owner O --region R | --url URL | --target NAME] [--repository REPO] [--format text|json]",
		Flags: append(append(cmdenv.TargetFlags(), cmdenv.TokenFlags()...),
			cmdenv.FormatFlag()),
		Action: func(c *cli.Context) error {
			format, err := cmdenv.TextOrJSON(c)
			if err != nil {
				return err
			}
			in := e.ReadInputs(c)
			source := "default"
			switch {
			case c.IsSet("config"):
				source = "flag --config"
			case e.Getenv("CA_HELPER_CONFIG") != "":
				source = "env CA_HELPER_CONFIG"
			}
			setup, t, o := gather.Setup(in, source, gather.Maven(e.Getenv, e.Getwd, e.Home()))
			wd, _ := e.Getwd()
			setup.Git = gather.Git(c.Context, gather.ExecGit(wd, e.Environ()), gather.GitHost(t))
			interrupt.Catch(c.Context) // a keyring may take its time to answer
			req := gather.Request(c.Context, setup, t, o, e.Getenv)
			req.Debug = e.Debug
			rep, err := e.AWS.Doctor(c.Context, req)
			if err != nil {
				return err
			}
			write := rep.WriteText
			if format == "json" {
				write = rep.WriteJSON
			}
			if err := write(e.Stdout); err != nil {
				return err
			}
			// The report is the command's output even when a check failed, so
			// the exit code alone says so; there is no further error line.
			if code := rep.ExitCode(); code != 0 {
				return failure.Status(code)
			}
			return nil
		},
	}
}
