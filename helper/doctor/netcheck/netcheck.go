// Package netcheck is the real doctor.Network: it reaches an endpoint step by
// step (DNS, TCP, TLS, HTTP) so a failure names its step, and reads a
// repository with a token. It lives apart from package doctor so that
// ca-helper, which only hands doctor over to ca-helper-aws, does not link
// net/http and crypto/tls.
package netcheck

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/ca-helper/ca-helper/helper/doctor"
	"github.com/ca-helper/ca-helper/keyring"
)

// Net is the real doctor.Network, built on the standard library.
type Net struct {
	Timeout  time.Duration                         // per Reach or Get; 0 means 5s
	RootCAs  *x509.CertPool                        // nil: the system roots
	Proxy    func(*http.Request) (*url.URL, error) // nil: HTTPS_PROXY, HTTP_PROXY, NO_PROXY
	Resolver Resolver                              // nil: net.DefaultResolver
}

// Resolver looks up host names; *net.Resolver is one.
type Resolver interface {
	LookupHost(ctx context.Context, host string) ([]string, error)
}

var _ doctor.Network = (*Net)(nil)

// LoadCABundle reads a PEM bundle such as AWS_CA_BUNDLE names.
func LoadCABundle(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read CA bundle: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("CA bundle %s holds no PEM certificate", path)
	}
	return pool, nil
}

func (n *Net) timeout() time.Duration {
	if n.Timeout <= 0 {
		return 5 * time.Second
	}
	return n.Timeout
}

func (n *Net) proxy() func(*http.Request) (*url.URL, error) {
	if n.Proxy == nil {
		return http.ProxyFromEnvironment
	}
	return n.Proxy
}

func (n *Net) tlsConfig(host string) *tls.Config {
	return &tls.Config{ServerName: host, RootCAs: n.RootCAs, MinVersion: tls.VersionTLS12}
}

// Reach resolves, connects and, for https, completes TLS step by step, so a
// failure names its step; then it sends one GET to read the Date header.
func (n *Net) Reach(ctx context.Context, raw string) (doctor.Reach, error) {
	ctx, cancel := context.WithTimeout(ctx, n.timeout())
	defer cancel()
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return doctor.Reach{}, &doctor.NetError{Step: "URL", Host: raw, Err: errors.New("not an http or https URL")}
	}
	if p, err := n.proxy()(&http.Request{URL: u}); err == nil && p != nil {
		return n.reachViaProxy(ctx, u, p)
	}
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	var r doctor.Reach
	addrs := []string{host}
	start := time.Now()
	if net.ParseIP(host) == nil {
		var resolver Resolver = n.Resolver
		if resolver == nil {
			resolver = net.DefaultResolver
		}
		if addrs, err = resolver.LookupHost(ctx, host); err != nil {
			return r, netError("DNS", host, err)
		}
		r.Steps = append(r.Steps, doctor.Step{Name: "DNS", Took: time.Since(start)})
		start = time.Now()
	}
	conn, err := dialAny(ctx, addrs, port)
	if err != nil {
		return r, netError("TCP", net.JoinHostPort(host, port), err)
	}
	defer conn.Close()
	r.Steps = append(r.Steps, doctor.Step{Name: "TCP", Took: time.Since(start)})
	if u.Scheme == "https" {
		start = time.Now()
		tc := tls.Client(conn, n.tlsConfig(host))
		if err := tc.HandshakeContext(ctx); err != nil {
			return r, netError("TLS", host, err)
		}
		conn = tc
		r.Steps = append(r.Steps, doctor.Step{Name: "TLS", Took: time.Since(start)})
	}
	start = time.Now()
	if r.Date, err = readDate(ctx, conn, u); err != nil {
		return r, netError("HTTP", u.Host, err)
	}
	r.Received = time.Now()
	r.Steps = append(r.Steps, doctor.Step{Name: "HTTP", Took: time.Since(start)})
	return r, nil
}

func dialAny(ctx context.Context, addrs []string, port string) (net.Conn, error) {
	var d net.Dialer
	err := errors.New("no address")
	for _, a := range addrs {
		var c net.Conn
		if c, err = d.DialContext(ctx, "tcp", net.JoinHostPort(a, port)); err == nil {
			return c, nil
		}
	}
	return nil, err
}

// readDate sends GET / (or the endpoint's path) over conn and returns the
// answer's Date header; any status will do.
func readDate(ctx context.Context, conn net.Conn, u *url.URL) (time.Time, error) {
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.Scheme+"://"+u.Host+u.EscapedPath(), nil)
	if err != nil {
		return time.Time{}, err
	}
	req.Header.Set("User-Agent", "ca-helper-doctor")
	req.Close = true
	if err := req.Write(conn); err != nil {
		return time.Time{}, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		return time.Time{}, err
	}
	resp.Body.Close()
	date, _ := http.ParseTime(resp.Header.Get("Date"))
	return date, nil
}

func (n *Net) reachViaProxy(ctx context.Context, u, proxy *url.URL) (doctor.Reach, error) {
	start := time.Now()
	resp, err := n.do(ctx, http.MethodGet, u.String(), "", func(*http.Request) (*url.URL, error) { return proxy, nil })
	if err != nil {
		return doctor.Reach{}, netError("proxy", proxy.Host, err)
	}
	return doctor.Reach{Steps: []doctor.Step{{Name: "HTTP", Took: time.Since(start)}}, Proxy: proxy.Host, Date: resp.Date, Received: resp.Received}, nil
}

// Get sends GET raw with Basic aws:TOKEN, without following redirects. It
// refuses to send the token in the clear to a host other than this one.
func (n *Net) Get(ctx context.Context, raw string, tok keyring.Token) (doctor.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, n.timeout())
	defer cancel()
	u, err := url.Parse(raw)
	if err != nil {
		return doctor.Response{}, errors.New("not a URL")
	}
	if u.Scheme != "https" && !(u.Scheme == "http" && doctor.Loopback(u.Hostname())) {
		return doctor.Response{}, fmt.Errorf("refusing to send the token to %s over %s", u.Host, u.Scheme)
	}
	return n.do(ctx, http.MethodGet, raw, tok.Reveal(), n.proxy())
}

func (n *Net) do(ctx context.Context, method, raw, token string, proxy func(*http.Request) (*url.URL, error)) (doctor.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, raw, nil)
	if err != nil {
		return doctor.Response{}, err
	}
	req.Header.Set("User-Agent", "ca-helper-doctor")
	if token != "" {
		req.SetBasicAuth("aws", token)
	}
	tr := &http.Transport{Proxy: proxy, TLSClientConfig: n.tlsConfig(""), DisableKeepAlives: true, ForceAttemptHTTP2: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		return doctor.Response{}, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	date, _ := http.ParseTime(resp.Header.Get("Date"))
	return doctor.Response{Status: resp.StatusCode, Date: date, Received: time.Now()}, nil
}

// netError keeps the part of err a user can act on and notes timeouts and
// names that do not exist.
func netError(step, host string, err error) *doctor.NetError {
	ne := &doctor.NetError{Step: step, Host: host, Err: err}
	var dns *net.DNSError
	var op *net.OpError
	switch {
	case errors.As(err, &dns):
		ne.Err, ne.NotFound, ne.Timeout = errors.New(dns.Err), dns.IsNotFound, dns.IsTimeout
	case errors.As(err, &op) && op.Err != nil:
		ne.Err = op.Err
	}
	var te interface{ Timeout() bool }
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &te) && te.Timeout()) {
		ne.Timeout = true
	}
	return ne
}
