// Package fake is an in-process stand-in for AWS CodeArtifact, for tests.
//
// It answers GetAuthorizationToken and GetRepositoryEndpoint in the rest-json
// wire format the AWS SDK for Go v2 speaks (and STS GetCallerIdentity, when
// AWS_ENDPOINT_URL_STS points here), checks SigV4 Authorization headers
// (and, given secrets, the signatures themselves), and issues random tokens it
// remembers. The tokens open a Maven repository route (HTTP Basic, user "aws")
// backed by a store directory and an optional upstream tree, and minimal npm,
// PyPI ("simple" index, generated wheels and uploads) and Cargo (authenticated sparse
// registry) routes. Faults (throttling, access denied, hangs, malformed answers …) can be
// injected for a number of calls, so clients can be tested against the failures
// the real service produces.
package fake

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

// Operation names used by Calls and in Request.Op.
const (
	OpGetAuthorizationToken = "GetAuthorizationToken"
	OpGetRepositoryEndpoint = "GetRepositoryEndpoint"
	OpGetCallerIdentity     = "GetCallerIdentity" // STS, at POST /
	OpMaven                 = "maven"
	OpNPM                   = "npm"
	OpCargo                 = "cargo"
	OpPyPI                  = "pypi"
	// OpPyPIUpload is a POST to a PyPI repository endpoint, /pypi/REPO/
	// (twine, uv publish, poetry publish); OpPyPI counts the simple index
	// and downloads only.
	OpPyPIUpload = "pypi-upload"
)

// DefaultOwner is the domain owner assumed when a request names none.
const DefaultOwner = "111122223333"

// Options configures a Server. The zero value is a working fake.
type Options struct {
	// UpstreamDir is a Maven repository tree served as the repository's
	// upstream (e.g. /usr/share/maven-repo); "" means no upstream.
	UpstreamDir string
	// StoreDir keeps copies fetched from the upstream and PUT uploads; ""
	// means a temporary directory created by Serve and removed by Close.
	StoreDir string
	// TokenTTL caps a token's lifetime; 0 honours the requested duration
	// (12h when the duration is 0 or missing).
	TokenTTL time.Duration
	// Secrets maps access key ids to secret keys. When non-nil, signatures
	// are verified and unknown key ids get UnrecognizedClientException.
	Secrets map[string]string
	// Domains, when non-nil, lists the domains that exist; others get
	// ResourceNotFoundException. The domain "missing" never exists.
	Domains []string
	// Logf, when set, receives one line per request. Tokens appear in it
	// only as their first characters.
	Logf func(format string, args ...any)
	// Account is the account STS GetCallerIdentity names for every caller;
	// "" means DefaultOwner.
	Account string
	// RepoDelay holds every repository request (not the API) this long
	// before it is answered: a network round trip, emulated where tc netem
	// is not at hand.
	RepoDelay time.Duration
}

// Request is one entry of the request log. It never holds a whole token.
type Request struct {
	Method      string
	Path        string
	Op          string // an Op… constant, "" for unknown routes
	AccessKeyID string // from the SigV4 credential scope (API routes)
	Region      string // from the SigV4 credential scope (API routes)
	TokenPrefix string // first characters of the repository token, never all of it
	Status      int    // 0 when no answer was sent (Hang)
}

// Server is a fake CodeArtifact service. Its methods are safe for concurrent use.
type Server struct {
	opts Options
	now  func() time.Time

	mu        sync.Mutex
	base      string
	storeDir  string
	ownStore  bool
	httpSrv   *http.Server
	calls     map[string]int
	requests  []Request
	faults    []*activeFault
	tokens    map[string]tokenInfo
	issued    []string
	upstreamd []string
	// npmPublished: versions by "REPO/PACKAGE", from npm publish
	npmPublished map[string][]string
	// pypiUploads: files by "REPO/PROJECT" (normalized), from PyPI uploads
	pypiUploads map[string][]pypiFile

	copyMu    sync.Mutex // serialises copies from the upstream
	done      chan struct{}
	closeOnce sync.Once
}

// New returns a Server configured by opts; it does not listen yet.
func New(opts Options) *Server {
	return &Server{
		opts:   opts,
		now:    time.Now,
		calls:  make(map[string]int),
		tokens: make(map[string]tokenInfo),
		done:   make(chan struct{}),
	}
}

// Start listens on 127.0.0.1 at a free port, serves in the background and
// returns the base URL (http://127.0.0.1:PORT).
func (s *Server) Start() (baseURL string, err error) {
	return s.StartOn("127.0.0.1:0")
}

// StartOn is Start on addr ("host:port"); the URL it returns is ready to
// be dialled.
func (s *Server) StartOn(addr string) (baseURL string, err error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv, err := s.prepare(l)
	if err != nil {
		l.Close()
		return "", err
	}
	go srv.Serve(l) // ends with ErrServerClosed on Close
	return s.URL(), nil
}

// Serve answers requests on l until Close; it returns nil after Close.
func (s *Server) Serve(l net.Listener) error {
	srv, err := s.prepare(l)
	if err != nil {
		return err
	}
	if err := srv.Serve(l); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

func (s *Server) prepare(l net.Listener) (*http.Server, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.done:
		return nil, errors.New("fake server is closed")
	default:
	}
	if s.httpSrv != nil {
		return nil, errors.New("fake server is already serving")
	}
	s.storeDir = s.opts.StoreDir
	if s.storeDir == "" {
		dir, err := os.MkdirTemp("", "fakeca-store-")
		if err != nil {
			return nil, fmt.Errorf("create store dir: %w", err)
		}
		s.storeDir, s.ownStore = dir, true
	}
	s.base = baseURL(l.Addr())
	s.httpSrv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	return s.httpSrv, nil
}

// baseURL names addr as a URL clients can dial, replacing an unspecified
// address (":0", "0.0.0.0") with loopback.
func baseURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// Close stops the server, releases hanging requests and removes a store
// directory that New's caller did not provide. It is safe to call twice.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.done)
		s.mu.Lock()
		srv, dir, own := s.httpSrv, s.storeDir, s.ownStore
		s.mu.Unlock()
		if srv != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			srv.Shutdown(ctx) // Close below ends what is left
			cancel()
			srv.Close()
		}
		if own {
			os.RemoveAll(dir)
		}
	})
}

// URL is the base URL the server answers on, "" before it serves.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.base
}

// StoreDir is the directory holding each repository's files, one
// subdirectory per repository; "" before the server serves.
func (s *Server) StoreDir() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.storeDir
}

// TokenCalls counts GetAuthorizationToken requests, faulted ones included.
func (s *Server) TokenCalls() int { return s.Calls(OpGetAuthorizationToken) }

// Calls counts the requests that reached the handler of op (an Op… constant).
func (s *Server) Calls(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[op]
}

// Requests returns a copy of the request log, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// ServeHTTP routes a request and records it in the request log.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w}
	info := &Request{Method: r.Method, Path: r.URL.Path}
	s.route(rec, r, info)
	info.Status = rec.result()

	s.mu.Lock()
	s.requests = append(s.requests, *info)
	s.mu.Unlock()
	s.logRequest(r, info, time.Since(start))
	if rec.noAnswer {
		// Drop the connection rather than let net/http send an empty 200.
		panic(http.ErrAbortHandler)
	}
}

// route picks the operation and its handler by path, counts the call and
// hands it over.
func (s *Server) route(w http.ResponseWriter, r *http.Request, info *Request) {
	p := r.URL.Path
	var handle func(http.ResponseWriter, *http.Request, *Request)
	switch {
	case p == "/v1/authorization-token":
		info.Op, handle = OpGetAuthorizationToken, s.handleToken
	case p == "/v1/repository/endpoint":
		info.Op, handle = OpGetRepositoryEndpoint, s.handleEndpoint
	case p == "/" && r.Method == http.MethodPost:
		info.Op, handle = OpGetCallerIdentity, s.handleSTS
	case strings.HasPrefix(p, "/maven/"):
		info.Op, handle = OpMaven, s.handleMaven
	case strings.HasPrefix(p, "/npm/"):
		info.Op, handle = OpNPM, s.handleNPM
	case strings.HasPrefix(p, "/cargo/"):
		info.Op, handle = OpCargo, s.handleCargo
	case r.Method == http.MethodPost && pypiUploadPath(p):
		info.Op, handle = OpPyPIUpload, s.handlePyPIUpload
	case strings.HasPrefix(p, "/pypi/"):
		info.Op, handle = OpPyPI, s.handlePyPI
	default:
		writeAPIError(w, http.StatusNotFound, "UnknownOperationException", "unknown operation "+r.Method+" "+p)
		return
	}
	s.count(info.Op)
	if s.opts.RepoDelay > 0 && !strings.HasPrefix(p, "/v1/") {
		time.Sleep(s.opts.RepoDelay)
	}
	handle(w, r, info)
}

func (s *Server) count(op string) {
	s.mu.Lock()
	s.calls[op]++
	s.mu.Unlock()
}
