package command

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/awsproc"
	"github.com/ca-helper/ca-helper/helper/doctor"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/interrupt"
	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/helper/tokens"
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
			sdk, ok := e.aws.(doctorSource)
			if !ok {
				return e.doctorInSDKBinary(c)
			}
			setup, t, o := e.doctorSetup(c)
			rep := doctor.Run(c.Context, setup, e.doctorDeps(sdk, t, o))
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

// doctorSource is the AWS SDK and network code in this process: awsca.Client
// in ca-helper-aws. ca-helper links neither, so there doctor runs ca-helper-aws.
type doctorSource interface {
	DoctorAWS(r awsproc.Request) doctor.AWS
	DoctorNetwork(timeout time.Duration) (doctor.Network, error)
}

// doctorChildEnv marks the ca-helper-aws that a ca-helper started for doctor,
// so a misconfigured CA_HELPER_AWS_BIN cannot make them start each other.
const doctorChildEnv = "CA_HELPER_DOCTOR_CHILD"

// doctorInSDKBinary runs `ca-helper-aws doctor` with the flags given here and
// passes its output and exit code through.
func (e *env) doctorInSDKBinary(c *cli.Context) error {
	if e.getenv(doctorChildEnv) != "" {
		return failure.Wrap(failure.Runtime, "point CA_HELPER_AWS_BIN at ca-helper-aws, not ca-helper",
			errors.New("doctor needs the AWS SDK, which this binary does not link"))
	}
	path, err := awsproc.Locate()
	if err != nil {
		return err
	}
	args := []string{"doctor"}
	for _, f := range c.Command.Flags {
		if name := f.Names()[0]; c.IsSet(name) {
			args = append(args, "--"+name+"="+fmt.Sprint(c.Value(name)))
		}
	}
	interrupt.Catch(c.Context)
	cmd := exec.CommandContext(c.Context, path, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = e.stdin, e.stdout, e.stderr
	cmd.Env = append(os.Environ(), doctorChildEnv+"=1")
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit) && exit.ExitCode() > 0:
		return failure.Status(exit.ExitCode())
	case err != nil:
		return failure.Wrap(failure.Runtime, "reinstall with ./install.sh so ca-helper-aws sits next to ca-helper", fmt.Errorf("run %s: %w", path, err))
	}
	return nil
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

// doctorDeps wires the SDK, the network and the cache store. Each network
// step gets a short timeout, never longer than --timeout.
func (e *env) doctorDeps(sdk doctorSource, t target.Target, o target.Options) doctor.Deps {
	netTimeout, timeout := 5*time.Second, 10*time.Second
	if o.Timeout > 0 {
		netTimeout, timeout = min(netTimeout, o.Timeout), min(timeout, o.Timeout)
	}
	n, err := sdk.DoctorNetwork(netTimeout)
	if err != nil {
		e.warn(fmt.Sprintf("AWS_CA_BUNDLE not used: %v", err))
	}
	return doctor.Deps{
		AWS:     sdk.DoctorAWS(tokens.Request(t, 0, timeout)),
		Net:     n,
		Cache:   doctorCache{t: t, getenv: e.getenv},
		Now:     e.now,
		Timeout: timeout,
		GOOS:    runtime.GOOS,
	}
}
