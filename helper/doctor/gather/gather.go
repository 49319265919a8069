// Package gather is what ca-helper finds on this machine before the doctor
// checks run in ca-helper-aws: the config and target as `get` resolves them,
// the cache store `get` would open, and how Maven is set up for the
// extension. It knows nothing of the command line.
package gather

import (
	"context"
	"fmt"
	"time"

	"github.com/ca-helper/ca-helper/helper/awsproc"
	"github.com/ca-helper/ca-helper/helper/doctor"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/target"
)

// Setup resolves config, target and options as `get` would, but keeps going
// far enough to say which step failed and why. configSource says where the
// config path came from; m is the Maven setup (Maven).
func Setup(in *target.Inputs, configSource string, m doctor.Maven) (doctor.Setup, target.Target, target.Options) {
	s := doctor.Setup{ConfigPath: in.ConfigPath, ConfigSource: configSource, Maven: m}
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

// Request is what ca-helper-aws needs to run the checks: the setup and this
// process's view of the cache (probed only when the cache check will run).
// Each network step gets a short timeout, and each AWS call one, never
// longer than --timeout.
func Request(ctx context.Context, setup doctor.Setup, t target.Target, o target.Options, getenv func(string) string) awsproc.DoctorRequest {
	req := awsproc.DoctorRequest{Setup: setup, NetTimeout: 5 * time.Second, Timeout: 10 * time.Second}
	if o.Timeout > 0 {
		req.NetTimeout, req.Timeout = min(req.NetTimeout, o.Timeout), min(req.Timeout, o.Timeout)
	}
	kind := setup.Cache
	if kind == "" {
		kind = "auto"
	}
	if setup.ConfigErr == nil && setup.TargetErr == nil && kind != "none" {
		req.Cache = cacheProbe{t: t, getenv: getenv}.Probe(ctx, kind)
	}
	return req
}
