package command

import (
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/doctor"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/interrupt"
	"github.com/ca-helper/ca-helper/helper/target"
)

func doctorCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "doctor",
		Usage:     "check config, credentials, region, network, permissions, repository, cache and clock; one line per check, with a fix",
		UsageText: "ca-helper doctor [--domain D --domain-owner O --region R | --url URL | --target NAME] [--repository REPO] [--format text|json]",
		Flags: append(append(targetFlags(), tokenFlags()...),
			&cli.StringFlag{Name: "format", Value: "text", Usage: "text, or json for scripts"}),
		Action: func(c *cli.Context) error {
			format := c.String("format")
			if format != "text" && format != "json" {
				return failure.Usagef("use --format text or json", "invalid format %q", failure.Printable(format))
			}
			setup, t, o := e.doctorSetup(c)
			rep, err := e.aws.Doctor(c.Context, e.doctorRequest(c, setup, t, o))
			if err != nil {
				return err
			}
			write := rep.WriteText
			if format == "json" {
				write = rep.WriteJSON
			}
			if err := write(e.stdout); err != nil {
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

// doctorSetup resolves config, target and options as `get` would, but keeps
// going far enough to say which step failed and why.
func (e *env) doctorSetup(c *cli.Context) (doctor.Setup, target.Target, target.Options) {
	in := e.readInputs(c)
	s := doctor.Setup{ConfigPath: in.ConfigPath, ConfigSource: "default", Maven: e.doctorMaven()}
	switch {
	case c.IsSet("config"):
		s.ConfigSource = "flag --config"
	case e.getenv("CA_HELPER_CONFIG") != "":
		s.ConfigSource = "env CA_HELPER_CONFIG"
	}
	cfg, err := in.LoadConfig()
	if err != nil {
		s.ConfigErr = problem(err)
		return s, target.Target{}, target.Options{}
	}
	s.ConfigNote = configNote(cfg)
	t, err := target.Resolve(in)
	s.Target = doctor.Target{Name: t.Name, Domain: t.Domain, Owner: t.Owner, Region: t.Region,
		Profile: t.Profile, Repository: t.Repository, Sources: t.Sources}
	if err != nil {
		s.TargetErr = problem(err)
		return s, t, target.Options{}
	}
	o, err := target.ResolveOptions(in, t)
	if err != nil {
		s.TargetErr = problem(err)
		return s, t, o
	}
	s.Duration, s.MinTTL, s.Cache, s.CacheSource = o.Duration, o.MinTTL, o.Cache, o.Sources["cache"]
	return s, t, o
}

func problem(err error) *doctor.Problem {
	code, hint := failure.Classify(err)
	return &doctor.Problem{Detail: failure.OneLine(err.Error()), Fix: hint, Code: code}
}

func configNote(c *target.Config) string {
	if !c.Exists() {
		return "no file (it is optional)"
	}
	note := fmt.Sprintf("%d targets", len(c.Targets))
	if len(c.Targets) == 1 {
		note = "1 target"
	}
	if c.Default != "" {
		note += " (default " + c.Default + ")"
	}
	return note
}

// doctorRequest is what ca-helper-aws needs to run the checks: the setup
// resolved here and this process's view of the cache (probed only when the
// cache check will run). Each network step gets a short timeout, and each
// AWS call one, never longer than --timeout.
func (e *env) doctorRequest(c *cli.Context, setup doctor.Setup, t target.Target, o target.Options) doctor.Request {
	req := doctor.Request{Setup: setup, NetTimeout: 5 * time.Second, Timeout: 10 * time.Second}
	if o.Timeout > 0 {
		req.NetTimeout, req.Timeout = min(req.NetTimeout, o.Timeout), min(req.Timeout, o.Timeout)
	}
	kind := setup.Cache
	if kind == "" {
		kind = "auto"
	}
	if setup.ConfigErr == nil && setup.TargetErr == nil && kind != "none" {
		interrupt.Catch(c.Context) // a keyring may take its time to answer
		req.Cache = doctorCache{t: t, getenv: e.getenv}.Probe(c.Context, kind)
	}
	return req
}
