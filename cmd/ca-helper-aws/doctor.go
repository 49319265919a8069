package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/ca-helper/ca-helper/helper/awsca"
	"github.com/ca-helper/ca-helper/helper/awsproc"
	"github.com/ca-helper/ca-helper/helper/doctor"
	"github.com/ca-helper/ca-helper/helper/doctor/netcheck"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/keyring"
)

// runDoctor runs the checks of an awsproc.DoctorRequest, with the SDK's view of the
// target and this machine's network, and returns the awsproc.DoctorAnswer.
func runDoctor(ctx context.Context, raw json.RawMessage) (json.RawMessage, error) {
	var req awsproc.DoctorRequest
	if err := json.Unmarshal(raw, &req); err != nil {
		return nil, fmt.Errorf("read doctor request: %w", err)
	}
	n, err := doctorNetwork(req.NetTimeout)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ca-helper: warning: AWS_CA_BUNDLE not used: %v\n", err)
	}
	t := req.Setup.Target
	deps := doctor.Deps{
		AWS: &doctorAWS{r: awsca.Request{Domain: t.Domain, Owner: t.Owner, Region: t.Region, Profile: t.Profile,
			Timeout: req.Timeout}},
		Net:     n,
		Cache:   doctor.FixedCache(req.Cache),
		Now:     time.Now,
		Timeout: req.Timeout,
		GOOS:    runtime.GOOS,
	}
	return json.Marshal(awsproc.NewDoctorAnswer(doctor.Run(ctx, req.Setup, deps)))
}

// doctorNetwork is the network doctor reaches endpoints with. It trusts
// AWS_CA_BUNDLE instead of the system roots, as the SDK does; a bundle that
// does not load is an error, and the system roots are used.
func doctorNetwork(timeout time.Duration) (doctor.Network, error) {
	n := &netcheck.Net{Timeout: timeout}
	if b := os.Getenv("AWS_CA_BUNDLE"); b != "" {
		pool, err := netcheck.LoadCABundle(b)
		if err != nil {
			return n, err
		}
		n.RootCAs = pool
	}
	return n, nil
}

// doctorAWS is the SDK's view of one target, through one awsca.Probe loaded
// on first use.
type doctorAWS struct {
	r     awsca.Request
	once  sync.Once
	probe *awsca.Probe
	err   error
}

var _ doctor.AWS = (*doctorAWS)(nil)

func (a *doctorAWS) load(ctx context.Context) (*awsca.Probe, error) {
	a.once.Do(func() { a.probe, a.err = awsca.NewProbe(ctx, a.r) })
	if a.err != nil {
		return nil, doctorError(a.err)
	}
	return a.probe, nil
}

func (a *doctorAWS) Credentials(ctx context.Context) (doctor.Credentials, error) {
	p, err := a.load(ctx)
	if err != nil {
		return doctor.Credentials{}, err
	}
	c, err := p.Credentials(ctx)
	if err != nil {
		return doctor.Credentials{}, doctorError(err)
	}
	return doctor.Credentials{Source: c.Source, File: c.File, AccessKeyID: c.AccessKeyID,
		Session: c.Session, CanExpire: c.CanExpire, Expires: c.Expires}, nil
}

func (a *doctorAWS) Region(ctx context.Context) (string, error) {
	p, err := a.load(ctx)
	if err != nil {
		return "", err
	}
	return p.Region(), nil
}

func (a *doctorAWS) Endpoint(ctx context.Context) (doctor.Endpoint, error) {
	p, err := a.load(ctx)
	if err != nil {
		return doctor.Endpoint{}, err
	}
	ep, err := p.ServiceEndpoint(ctx)
	if err != nil {
		return doctor.Endpoint{}, doctorError(err)
	}
	return doctor.Endpoint{URL: ep.URL, Source: ep.Source}, nil
}

// Token fetches a token for the repository check only; nothing stores it.
func (a *doctorAWS) Token(ctx context.Context, d time.Duration) (keyring.Token, time.Time, error) {
	p, err := a.load(ctx)
	if err != nil {
		return "", time.Time{}, err
	}
	tok, err := p.Token(ctx, d)
	if err != nil {
		return "", time.Time{}, doctorError(err)
	}
	return tok.Value, tok.Expiration, nil
}

func (a *doctorAWS) RepositoryEndpoint(ctx context.Context, repo string) (string, error) {
	p, err := a.load(ctx)
	if err != nil {
		return "", err
	}
	url, err := p.RepositoryEndpoint(ctx, repo, "maven")
	if err != nil {
		return "", doctorError(err)
	}
	return url, nil
}

// doctorCauses maps this package's reasons to the causes doctor explains.
var doctorCauses = map[string]doctor.Cause{
	"no credentials":             doctor.CauseNoCredentials,
	"SSO session expired":        doctor.CauseSSOExpired,
	"credentials expired":        doctor.CauseExpired,
	"credentials not recognised": doctor.CauseBadCredentials,
	"bad signature":              doctor.CauseBadCredentials,
	"access denied":              doctor.CauseAccessDenied,
	"not found":                  doctor.CauseNotFound,
	"no region":                  doctor.CauseNoRegion,
	"network":                    doctor.CauseNetwork,
	"timeout":                    doctor.CauseTimeout,
}

// doctorError classifies err for doctor. The detail starts at the reason
// ("access denied: …"): the check's name already says what was being done.
func doctorError(err error) error {
	var e *awsca.Error
	if !errors.As(err, &e) {
		return &doctor.CallError{Detail: err.Error(), Code: failure.Runtime}
	}
	msg := e.Error() // doctor keeps it on one line; no truncation, the denied action is at the end
	if i := strings.Index(msg, e.Reason+": "); i >= 0 {
		msg = msg[i:]
	}
	return &doctor.CallError{Cause: doctorCauses[e.Reason], Detail: msg, Hint: e.Fix(), Code: e.Code}
}
