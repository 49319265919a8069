package doctor

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/safetext"
	"github.com/ca-helper/ca-helper/keyring"
)

// ProbePath is what the repository read asks for under the Maven endpoint:
// a path no real package has, so the answer is about the credentials only
// (404 when they are accepted).
const ProbePath = "ca-helper-doctor/probe/maven-metadata.xml"

// Network reaches endpoints. Errors are *NetError where the step is known.
type Network interface {
	// Reach resolves the host of url, connects, completes TLS for https, and
	// sends one unauthenticated GET to read the server's Date header.
	Reach(ctx context.Context, url string) (Reach, error)
	// Get sends GET url with Basic aws:TOKEN and does not follow redirects.
	Get(ctx context.Context, url string, tok keyring.Token) (Response, error)
}

// Step is one stage of reaching a host and how long it took.
type Step struct {
	Name string // DNS, TCP, TLS, HTTP
	Took time.Duration
}

// Reach is how an endpoint was reached.
type Reach struct {
	Steps    []Step
	Proxy    string    // the proxy used, if any
	Date     time.Time // the server's Date header; zero when absent
	Received time.Time // when the answer arrived, by the local clock
}

// Response is the answer to an authenticated GET.
type Response struct {
	Status   int
	Date     time.Time
	Received time.Time
}

// NetError says which step of reaching a host failed.
type NetError struct {
	Step     string // DNS, TCP, TLS, HTTP or proxy
	Host     string
	Err      error
	NotFound bool // the name does not exist
	Timeout  bool
}

func (e *NetError) Error() string { return fmt.Sprintf("%s %s: %v", e.Step, e.Host, e.Err) }
func (e *NetError) Unwrap() error { return e.Err }

func checkEndpoint(ctx context.Context, s *state) Result {
	ep, err := s.deps.AWS.Endpoint(ctx)
	if err != nil {
		e := callError(err)
		return fail(or(e.Code, failure.Usage), e.Detail, e.Hint)
	}
	s.endpoint = ep
	where := fmt.Sprintf("%s (%s)", safetext.URL(ep.URL), ep.Source)
	r, err := s.deps.Net.Reach(ctx, ep.URL)
	if err != nil {
		return s.endpointFailure(where, err)
	}
	s.date, s.received = r.Date, r.Received
	steps := make([]string, len(r.Steps))
	for i, st := range r.Steps {
		steps[i] = st.Name + " " + millis(st.Took)
	}
	detail := where + ": " + strings.Join(steps, ", ")
	if r.Proxy != "" {
		detail += " via proxy " + r.Proxy
	}
	if u, err := url.Parse(ep.URL); err == nil && u.Scheme == "http" {
		if !Loopback(u.Hostname()) {
			return warn(detail+"; plain http", "use an https:// endpoint: with http the token crosses the network unencrypted")
		}
		detail += " (plain http: no TLS)"
	}
	return ok(detail)
}

func (s *state) endpointFailure(where string, err error) Result {
	var ne *NetError
	if !errors.As(err, &ne) {
		return fail(failure.Runtime, where+": "+err.Error(), "check the network connection and the endpoint")
	}
	override := s.endpoint.Source != "default"
	fixOverride := "fix or unset the endpoint override (" + s.endpoint.Source + ")"
	var detail, fix string
	switch {
	case ne.Timeout:
		detail = fmt.Sprintf("%s: no answer from %s (%s) within the timeout", where, ne.Host, ne.Step)
		fix = "check the network, firewall or proxy (HTTPS_PROXY, NO_PROXY) between here and " + ne.Host
	case ne.Step == "DNS" && ne.NotFound && !override:
		detail = fmt.Sprintf("%s: %s does not resolve: region %s does not exist or has no CodeArtifact", where, ne.Host, s.region)
		fix = fmt.Sprintf("check the region %s (from %s); CodeArtifact regions look like us-east-1, eu-west-1, ap-southeast-2", s.region, s.regionSource())
	case ne.Step == "DNS" && ne.NotFound:
		detail = fmt.Sprintf("%s: %s does not resolve", where, ne.Host)
		fix = fixOverride
	case ne.Step == "DNS":
		detail = fmt.Sprintf("%s: DNS lookup of %s failed: %v", where, ne.Host, ne.Err)
		fix = "check the DNS resolver and the network connection"
	case ne.Step == "TCP":
		detail = fmt.Sprintf("%s: cannot connect to %s: %v", where, ne.Host, ne.Err)
		fix = "check the network, firewall or proxy (HTTPS_PROXY) to " + ne.Host
		if override {
			fix = "nothing answers at " + safetext.URL(s.endpoint.URL) + ": start the service there, or " + fixOverride
		}
	case ne.Step == "TLS":
		detail = fmt.Sprintf("%s: TLS handshake with %s failed: %v", where, ne.Host, ne.Err)
		fix = "a proxy or firewall may intercept TLS: point AWS_CA_BUNDLE at its CA certificate; also check the system clock"
	case ne.Step == "proxy":
		detail = fmt.Sprintf("%s: proxy %s failed: %v", where, ne.Host, ne.Err)
		fix = "check HTTPS_PROXY, HTTP_PROXY and NO_PROXY"
	default:
		detail = fmt.Sprintf("%s: %s accepted a connection but no HTTP answer came: %v", where, ne.Host, ne.Err)
		fix = "check that " + safetext.URL(s.endpoint.URL) + " is a CodeArtifact endpoint"
		if override {
			fix += ", or " + fixOverride
		}
	}
	return fail(failure.Runtime, detail, fix)
}

func checkRepoRead(ctx context.Context, s *state) Result {
	u := strings.TrimSuffix(s.repoURL, "/") + "/" + ProbePath
	resp, err := s.deps.Net.Get(ctx, u, s.token)
	if err != nil {
		return fail(failure.Runtime, "GET "+u+": "+err.Error(), "check the network and proxy to the repository host")
	}
	if s.date.IsZero() {
		s.date, s.received = resp.Date, resp.Received
	}
	code := resp.Status
	switch {
	case code == 401:
		return fail(failure.Auth, fmt.Sprintf("%s refused the token: 401 Unauthorized", safetext.URL(s.repoURL)),
			"the token expired or is for another domain or account: check that --domain and --domain-owner match the repository URL, that the system clock is right (see clock), and that the AWS session lasts (a token ends with it)")
	case code == 403:
		return fail(failure.Auth, fmt.Sprintf("%s: 403 Forbidden: the identity may not read this repository", safetext.URL(s.repoURL)),
			"allow codeartifact:ReadFromRepository on "+s.repositoryARN())
	case code >= 500:
		return fail(failure.Runtime, fmt.Sprintf("%s answered %d", safetext.URL(s.repoURL), code), "the repository service failed; retry later")
	case code < 400 || code == 404:
		return ok(fmt.Sprintf("%s accepts the token (GET %s: %d)", safetext.URL(s.repoURL), ProbePath, code))
	}
	return warn(fmt.Sprintf("%s answered %d to an authenticated GET of %s", safetext.URL(s.repoURL), code, ProbePath),
		"unexpected answer: check the repository URL; `mvn -X` shows what Maven gets")
}

func checkClock(_ context.Context, s *state) Result {
	if s.date.IsZero() {
		return skip("the service sent no Date header")
	}
	skew := s.received.Sub(s.date)
	side := "ahead of"
	if skew < 0 {
		skew, side = -skew, "behind"
	}
	skew = max(skew-time.Second, 0) // Date has whole seconds
	detail := fmt.Sprintf("local clock %s %s the service's Date header", human(skew), side)
	switch {
	case skew > 5*time.Minute:
		return fail(failure.Runtime, detail+": AWS rejects such signatures", clockFix(s.deps.GOOS))
	case skew > 2*time.Minute:
		return warn(detail+": near the limit where AWS rejects signatures", clockFix(s.deps.GOOS))
	case skew == 0:
		return ok("in step with the service's Date header")
	}
	return ok(detail)
}

func clockFix(goos string) string {
	switch goos {
	case "darwin":
		return "turn on System Settings > General > Date & Time > Set time automatically"
	case "windows":
		return "resync the clock: `w32tm /resync` (as administrator)"
	}
	return "turn on time sync: `timedatectl set-ntp true` (or run chronyd / ntpd)"
}

// millis prints a short duration as 12ms, or <1ms.
func millis(d time.Duration) string {
	if d < time.Millisecond {
		return "<1ms"
	}
	return d.Round(time.Millisecond).String()
}

// Loopback reports whether host is this machine, where plain http is fine.
func Loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
