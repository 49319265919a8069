package awsproc

import (
	"time"

	"github.com/ca-helper/ca-helper/helper/doctor"
	"github.com/ca-helper/ca-helper/helper/failure"
)

// DoctorRequest is what ca-helper hands ca-helper-aws for `doctor`.
// ca-helper resolves the config, the target and the Maven setup and probes
// its own cache; ca-helper-aws, which links the AWS SDK, runs every check
// with that and its own view of credentials, region, endpoints and network.
type DoctorRequest struct {
	Setup      doctor.Setup      `json:"setup"`
	Cache      doctor.CacheState `json:"cache"`
	Timeout    time.Duration     `json:"timeout"`     // bound on each AWS call
	NetTimeout time.Duration     `json:"net_timeout"` // bound on each network step
	Debug      bool              `json:"-"`           // --debug: sent as Request.Debug
}

// DoctorAnswer is a doctor.Report as it crosses back to ca-helper, with the
// exit code of each failure, which the report's JSON form leaves out.
type DoctorAnswer struct {
	Checks []DoctorCheck `json:"checks"`
}

// DoctorCheck is one result and its exit code.
type DoctorCheck struct {
	doctor.Result
	Code int `json:"code"`
}

// NewDoctorAnswer is r in its wire form.
func NewDoctorAnswer(r doctor.Report) DoctorAnswer {
	a := DoctorAnswer{Checks: make([]DoctorCheck, len(r.Checks))}
	for i, c := range r.Checks {
		a.Checks[i] = DoctorCheck{Result: c, Code: c.Code}
	}
	return a
}

// Report is the report a wire answer carries.
func (a DoctorAnswer) Report() doctor.Report {
	r := doctor.Report{OK: true, Checks: make([]doctor.Result, len(a.Checks))}
	for i, c := range a.Checks {
		c.Result.Code = c.Code
		c.Detail, c.Fix = failure.OneLine(c.Detail), failure.OneLine(c.Fix) // it came from another process
		r.Checks[i] = c.Result
		if c.Status == doctor.Fail {
			r.OK = false
		}
	}
	return r
}
