// Package doctor diagnoses why ca-helper cannot hand out a token. It runs the
// checks in a fixed order — config, target, credentials, region, endpoint,
// permissions, repository, repo-read, cache, clock, maven, git — skips a check whose
// prerequisites failed, and reports one line per check with a concrete fix.
//
// Everything outside the process comes in through small interfaces (AWS,
// Network, Cache), so each check is tested with fakes; ca-helper-aws
// (cmd/ca-helper-aws/doctor.go) wires the real ones, with the setup and cache
// state ca-helper gathered (package gather). A token fetched by the permissions check is used once
// for the repository read and never stored or printed.
package doctor

import (
	"context"
	"errors"
	"time"

	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/keyring"
)

// Status is the verdict of one check.
type Status string

// Statuses. Skip means the check did not run: a prerequisite failed, or there
// was nothing to check.
const (
	OK   Status = "ok"
	Warn Status = "warn"
	Fail Status = "fail"
	Skip Status = "skip"
)

// Result is one line of the report.
type Result struct {
	Name   string `json:"name"`
	Status Status `json:"status"`
	Detail string `json:"detail"`
	Fix    string `json:"fix"`
	Code   int    `json:"-"` // exit code when Status is Fail
	blame  bool   // this result replaces the earlier check of the same name
}

// Problem is a failure the caller has already explained, such as a config
// file that does not parse.
type Problem struct {
	Detail, Fix string
	Code        int
}

// Target is the resolved target, with the place each field came from.
type Target struct {
	Name, Domain, Owner, Region, Profile, Repository string
	Sources                                          map[string]string // field name -> "flag --domain", "env …", "config …"
}

// Setup is what the command resolved before any check runs.
type Setup struct {
	ConfigPath   string
	ConfigSource string // "flag --config", "env CA_HELPER_CONFIG" or "default"
	ConfigNote   string // "no file", "2 targets (default work)"
	ConfigErr    *Problem
	Target       Target
	TargetErr    *Problem // the target or a token option is invalid
	Duration     time.Duration
	MinTTL       time.Duration
	Cache        string // auto, keyring, file or none
	CacheSource  string // "flag --cache", "env CA_HELPER_CACHE", "default", …
	Maven        Maven
	Git          Git
}

// Deps are the outside world the checks may touch.
type Deps struct {
	AWS     AWS
	Net     Network
	Cache   Cache
	Now     func() time.Time
	Timeout time.Duration // bound on each AWS call; 0 means 10s
	GOOS    string        // "" means any Unix
}

// Cause classifies a failed AWS call.
type Cause int

// Causes users actually hit.
const (
	CauseOther Cause = iota
	CauseNoCredentials
	CauseSSOExpired
	CauseExpired        // the service says the credentials expired
	CauseBadCredentials // unknown key id, wrong secret, bad signature
	CauseAccessDenied
	CauseNotFound
	CauseNoRegion
	CauseNetwork
	CauseTimeout
)

// CallError is a failed AWS call, already classified by the caller.
type CallError struct {
	Cause  Cause
	Detail string // "access denied: User: … is not authorized to perform: …"
	Hint   string // the generic fix, used when a check has no better one
	Code   int
}

func (e *CallError) Error() string { return e.Detail }

// callError returns err as a *CallError, wrapping other errors as CauseOther.
func callError(err error) *CallError {
	var ce *CallError
	if errors.As(err, &ce) {
		return ce
	}
	return &CallError{Cause: CauseOther, Detail: err.Error(), Code: failure.Runtime}
}

// state carries what earlier checks learned to later ones.
type state struct {
	setup      Setup
	deps       Deps
	creds      string // the credentials line, for a later verdict on them
	credSource string
	region     string
	endpoint   Endpoint
	token      keyring.Token
	repoURL    string
	date       time.Time // the service's Date header …
	received   time.Time // … and when it arrived by our clock
}

type check struct {
	name  string
	needs []string
	run   func(context.Context, *state) Result
}

var checks = []check{
	{"config", nil, checkConfig},
	{"target", []string{"config"}, checkTarget},
	{"credentials", []string{"target"}, checkCredentials},
	{"region", []string{"target"}, checkRegion},
	{"endpoint", []string{"region"}, checkEndpoint},
	{"permissions", []string{"credentials", "endpoint"}, checkPermissions},
	{"repository", []string{"permissions"}, checkRepository},
	{"repo-read", []string{"repository"}, checkRepoRead},
	{"cache", []string{"target"}, checkCache},
	{"clock", []string{"endpoint"}, checkClock},
	{"maven", nil, checkMaven},
	{"git", nil, checkGit},
}

// Run runs every check in order and returns the report.
func Run(ctx context.Context, setup Setup, deps Deps) Report {
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.Timeout <= 0 {
		deps.Timeout = 10 * time.Second
	}
	s := &state{setup: setup, deps: deps}
	var results []Result
	for _, c := range checks {
		res := Result{Name: c.name, Status: Skip}
		if missing := unmet(results, c.needs); missing.Name != "" {
			res.Detail = "not checked: " + missing.Name + map[Status]string{Fail: " failed", Skip: " was not checked"}[missing.Status]
		} else {
			res = c.run(ctx, s)
			if !res.blame {
				res.Name = c.name
			} else {
				replace(results, res)
				res = Result{Name: c.name, Status: Skip, Detail: "not checked: " + res.Name + " failed"}
			}
		}
		results = append(results, res)
	}
	s.token = "" // used once, for the repository read
	rep := Report{OK: true, Checks: results}
	for i := range rep.Checks {
		rep.Checks[i].Detail = failure.OneLine(rep.Checks[i].Detail)
		rep.Checks[i].Fix = failure.OneLine(rep.Checks[i].Fix)
		if rep.Checks[i].Status == Fail {
			rep.OK = false
		}
	}
	return rep
}

// unmet returns the first of needs that did not end ok or warn.
func unmet(results []Result, needs []string) Result {
	for _, n := range needs {
		for _, r := range results {
			if r.Name == n && r.Status != OK && r.Status != Warn {
				return r
			}
		}
	}
	return Result{}
}

// replace puts res in place of the earlier result with its name: a later call
// showed what that check could not see, e.g. credentials the service
// rejects as expired.
func replace(results []Result, res Result) {
	res.blame = false
	for i := range results {
		if results[i].Name == res.Name {
			results[i] = res
		}
	}
}

func ok(detail string) Result { return Result{Status: OK, Detail: detail} }

func warn(detail, fix string) Result { return Result{Status: Warn, Detail: detail, Fix: fix} }

func fail(code int, detail, fix string) Result {
	if code == 0 {
		code = failure.Runtime
	}
	return Result{Status: Fail, Detail: detail, Fix: fix, Code: code}
}

func skip(detail string) Result { return Result{Status: Skip, Detail: detail} }
