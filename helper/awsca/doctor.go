package awsca

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/ca-helper/ca-helper/helper/doctor"
	"github.com/ca-helper/ca-helper/helper/doctor/netcheck"
	"github.com/ca-helper/ca-helper/keyring"
)

// DoctorAWS gives `ca-helper doctor` the SDK's view of r through one Probe,
// loaded on first use. Only ca-helper-aws, which links the SDK, has it.
func (c *Client) DoctorAWS(r Request) doctor.AWS { return &doctorAWS{r: r} }

// DoctorNetwork is the network doctor reaches endpoints with. It trusts
// AWS_CA_BUNDLE instead of the system roots, as the SDK does; a bundle that
// does not load is an error, and the system roots are used.
func (c *Client) DoctorNetwork(timeout time.Duration) (doctor.Network, error) {
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

// What helper's doctor command looks for in the AWS client it was given.
var _ interface {
	DoctorAWS(Request) doctor.AWS
	DoctorNetwork(time.Duration) (doctor.Network, error)
} = (*Client)(nil)

type doctorAWS struct {
	r     Request
	once  sync.Once
	probe *Probe
	err   error
}

var _ doctor.AWS = (*doctorAWS)(nil)

func (a *doctorAWS) load(ctx context.Context) (*Probe, error) {
	a.once.Do(func() { a.probe, a.err = NewProbe(ctx, a.r) })
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
	return keyring.Token(tok.Value), tok.Expiration, nil
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
	var e *Error
	if !errors.As(err, &e) {
		return &doctor.CallError{Detail: err.Error(), Code: codeRuntime}
	}
	msg := e.Error() // doctor keeps it on one line; no truncation, the denied action is at the end
	if i := strings.Index(msg, e.Reason+": "); i >= 0 {
		msg = msg[i:]
	}
	return &doctor.CallError{Cause: doctorCauses[e.Reason], Detail: msg, Hint: e.hint, Code: e.Code}
}
