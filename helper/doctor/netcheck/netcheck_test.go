package netcheck

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/helper/doctor"
)

var now = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

const secretToken = "eyJ2ZXIiOjF9.SECRET-TOKEN-THAT-MUST-NOT-PRINT"

func stepNames(r doctor.Reach) string {
	var names []string
	for _, s := range r.Steps {
		names = append(names, s.Name)
	}
	return strings.Join(names, " ")
}

// fakeResolver answers from a map and says NXDOMAIN for the rest.
type fakeResolver map[string]string

func (f fakeResolver) LookupHost(_ context.Context, host string) ([]string, error) {
	if a, ok := f[host]; ok {
		return []string{a}, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

func noProxy(*http.Request) (*url.URL, error) { return nil, nil }

func TestReachPlainHTTP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", "Sun, 01 Jun 2025 12:00:00 GMT")
		http.NotFound(w, r)
	}))
	defer srv.Close()
	n := &Net{Timeout: 2 * time.Second, Proxy: noProxy}
	r, err := n.Reach(context.Background(), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if got := stepNames(r); got != "TCP HTTP" {
		t.Errorf("steps %q, want TCP HTTP (no DNS for an IP, no TLS for http)", got)
	}
	if !r.Date.Equal(now) || r.Received.IsZero() {
		t.Errorf("date %v received %v", r.Date, r.Received)
	}
}

func TestReachTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake below is expected
	srv.StartTLS()
	defer srv.Close()
	u := strings.Replace(srv.URL, "127.0.0.1", "example.com", 1) // a name the test certificate has
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	n := &Net{Timeout: 2 * time.Second, RootCAs: pool, Proxy: noProxy, Resolver: fakeResolver{"example.com": "127.0.0.1"}}
	r, err := n.Reach(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	if got := stepNames(r); got != "DNS TCP TLS HTTP" {
		t.Errorf("steps %q", got)
	}
	if r.Date.IsZero() {
		t.Error("no Date from net/http's server")
	}
	// Without the test CA the handshake is what fails, and it says so.
	_, err = (&Net{Timeout: 2 * time.Second, Proxy: noProxy}).Reach(context.Background(), srv.URL)
	var ne *doctor.NetError
	if !errors.As(err, &ne) || ne.Step != "TLS" {
		t.Errorf("untrusted certificate: %v, want a TLS step error", err)
	}
}

func TestReachRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	_, err = (&Net{Timeout: 2 * time.Second, Proxy: noProxy}).Reach(context.Background(), "http://"+addr)
	var ne *doctor.NetError
	if !errors.As(err, &ne) || ne.Step != "TCP" || ne.Host != addr || !strings.Contains(ne.Err.Error(), "refused") {
		t.Errorf("closed port: %#v", err)
	}
}

func TestReachTimesOut(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0") // accepts, never answers
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	start := time.Now()
	_, err = (&Net{Timeout: 300 * time.Millisecond, Proxy: noProxy}).Reach(context.Background(), "http://"+l.Addr().String())
	var ne *doctor.NetError
	if !errors.As(err, &ne) || ne.Step != "HTTP" || !ne.Timeout {
		t.Errorf("silent server: %#v", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("took %v with a 300ms timeout", took)
	}
}

func TestReachViaProxy(t *testing.T) {
	var asked string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked = r.URL.String() // a proxy sees the absolute URL
	}))
	defer proxy.Close()
	pu, _ := url.Parse(proxy.URL)
	n := &Net{Timeout: 2 * time.Second, Proxy: func(*http.Request) (*url.URL, error) { return pu, nil }}
	r, err := n.Reach(context.Background(), "http://codeartifact.example.invalid/")
	if err != nil {
		t.Fatal(err)
	}
	if r.Proxy != pu.Host || asked != "http://codeartifact.example.invalid/" {
		t.Errorf("proxy %q, proxy was asked for %q", r.Proxy, asked)
	}
}

func TestGetSendsBasicAuthAndStaysPut(t *testing.T) {
	var user, pass string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, _ = r.BasicAuth()
		http.Redirect(w, r, "https://elsewhere.example/", http.StatusFound)
	}))
	defer srv.Close()
	resp, err := (&Net{Timeout: 2 * time.Second, Proxy: noProxy}).Get(context.Background(), srv.URL+"/maven/r/x", secretToken)
	if err != nil {
		t.Fatal(err)
	}
	if user != "aws" || pass != secretToken {
		t.Errorf("basic auth %q / token sent: %v", user, pass == secretToken)
	}
	if resp.Status != http.StatusFound {
		t.Errorf("status %d: the redirect was followed", resp.Status)
	}
}

func TestGetRefusesCleartextToOtherHosts(t *testing.T) {
	_, err := (&Net{Proxy: noProxy}).Get(context.Background(), "http://repo.example.com/maven/r/", secretToken)
	if err == nil || !strings.Contains(err.Error(), "refusing") || strings.Contains(err.Error(), secretToken) {
		t.Errorf("cleartext to a remote host: %v", err)
	}
}

func TestReachUnknownName(t *testing.T) {
	n := &Net{Timeout: time.Second, Proxy: noProxy, Resolver: fakeResolver{}}
	_, err := n.Reach(context.Background(), "https://codeartifact.xx-nowhere-1.amazonaws.com")
	var ne *doctor.NetError
	if !errors.As(err, &ne) || ne.Step != "DNS" || !ne.NotFound || ne.Host != "codeartifact.xx-nowhere-1.amazonaws.com" {
		t.Errorf("unknown name: %#v", err)
	}
}

func TestNetErrorClassifies(t *testing.T) {
	nx := netError("DNS", "codeartifact.xx-nowhere-1.amazonaws.com", &net.DNSError{Err: "no such host", Name: "x", IsNotFound: true})
	if !nx.NotFound || nx.Timeout || nx.Err.Error() != "no such host" {
		t.Errorf("NXDOMAIN: %+v", nx)
	}
	slow := netError("DNS", "h", &net.DNSError{Err: "i/o timeout", IsTimeout: true})
	if !slow.Timeout || slow.NotFound {
		t.Errorf("DNS timeout: %+v", slow)
	}
	dl := netError("TCP", "h:443", context.DeadlineExceeded)
	if !dl.Timeout {
		t.Errorf("deadline: %+v", dl)
	}
}

func TestLoadCABundle(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	dir := t.TempDir()
	good := filepath.Join(dir, "ca.pem")
	os.WriteFile(good, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600)
	pool, err := LoadCABundle(good)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&Net{Timeout: 2 * time.Second, RootCAs: pool, Proxy: noProxy}).Reach(context.Background(), srv.URL); err != nil {
		t.Errorf("with the bundle: %v", err)
	}
	bad := filepath.Join(dir, "bad.pem")
	os.WriteFile(bad, []byte("not pem"), 0o600)
	if _, err := LoadCABundle(bad); err == nil {
		t.Error("a file without certificates was accepted")
	}
}
