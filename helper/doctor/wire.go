package doctor

import (
	"context"
	"time"

	"github.com/ca-helper/ca-helper/helper/failure"
)

// Request is what ca-helper hands ca-helper-aws for `doctor`. ca-helper
// resolves the config, the target and the Maven setup and probes its own
// cache; ca-helper-aws, which links the AWS SDK, runs every check with that
// and its own view of credentials, region, endpoints and the network.
type Request struct {
	Setup      Setup         `json:"setup"`
	Cache      CacheState    `json:"cache"`
	Timeout    time.Duration `json:"timeout"`     // bound on each AWS call
	NetTimeout time.Duration `json:"net_timeout"` // bound on each network step
}

// Answer is a Report as it crosses back to ca-helper, with the exit code of
// each failure, which the report's JSON form leaves out.
type Answer struct {
	Checks []AnswerCheck `json:"checks"`
}

// AnswerCheck is one Result and its exit code.
type AnswerCheck struct {
	Result
	Code int `json:"code"`
}

// Answer is r in its wire form.
func (r Report) Answer() Answer {
	a := Answer{Checks: make([]AnswerCheck, len(r.Checks))}
	for i, c := range r.Checks {
		a.Checks[i] = AnswerCheck{Result: c, Code: c.Code}
	}
	return a
}

// Report is the report a wire answer carries.
func (a Answer) Report() Report {
	r := Report{OK: true, Checks: make([]Result, len(a.Checks))}
	for i, c := range a.Checks {
		c.Result.Code = c.Code
		c.Detail, c.Fix = failure.OneLine(c.Detail), failure.OneLine(c.Fix) // it came from another process
		r.Checks[i] = c.Result
		if c.Status == Fail {
			r.OK = false
		}
	}
	return r
}

// FixedCache is a Cache whose probe already ran, in ca-helper.
type FixedCache CacheState

// Probe returns the state ca-helper found.
func (c FixedCache) Probe(context.Context, string) CacheState { return CacheState(c) }
