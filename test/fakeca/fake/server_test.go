package fake

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codeartifact"
)

func TestConcurrentCalls(t *testing.T) {
	const n = 64
	s := startServer(t, Options{UpstreamDir: upstreamTree(t)})
	c := newClient(s, "AKIDTEST", "secret")
	tokens := make([]string, n)
	errs := make(chan error, 2*n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			out, err := c.GetAuthorizationToken(testContext(t), &codeartifact.GetAuthorizationTokenInput{Domain: aws.String("demo")})
			if err != nil {
				errs <- err
				return
			}
			tokens[i] = aws.ToString(out.AuthorizationToken)
			req, _ := http.NewRequest("GET", s.URL()+"/maven/releases/"+pomPath, nil)
			req.SetBasicAuth("aws", tokens[i])
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				errs <- err
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				errs <- fmt.Errorf("maven GET: %d", resp.StatusCode)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	seen := map[string]bool{}
	for _, tok := range s.IssuedTokens() {
		seen[tok] = true
	}
	for _, tok := range tokens {
		if !seen[tok] {
			t.Errorf("token returned to a client is not among IssuedTokens")
		}
	}
	if s.TokenCalls() != n || len(seen) != n || s.Calls(OpMaven) != n || len(s.Requests()) != 2*n {
		t.Errorf("token calls %d, distinct tokens %d, maven calls %d, requests %d; want %d, %d, %d, %d",
			s.TokenCalls(), len(seen), s.Calls(OpMaven), len(s.Requests()), n, n, n, 2*n)
	}
	if got := s.FetchedFromUpstream(); len(got) != 1 {
		t.Errorf("upstream copies %v, want one", got)
	}
}

func TestLogNeverHoldsToken(t *testing.T) {
	var mu sync.Mutex
	var lines []string
	s := startServer(t, Options{UpstreamDir: upstreamTree(t), Logf: func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, fmt.Sprintf(format, args...))
	}})
	tok := getToken(t, s)
	do(t, "GET", s.URL()+"/maven/releases/"+pomPath, "", basic("aws", tok))
	do(t, "GET", s.URL()+"/npm/npm-store/left-pad", "", bearer(tok))
	mu.Lock()
	defer mu.Unlock()
	log := strings.Join(lines, "\n")
	if len(lines) != 3 || strings.Contains(log, tok[:7]) || !strings.Contains(log, "token="+tok[:6]+"…") || !strings.Contains(log, "akid=AKIDTEST") {
		t.Errorf("log:\n%s", log)
	}
	for _, r := range s.Requests() {
		if len(r.TokenPrefix) > 6 {
			t.Errorf("request log holds %d token characters", len(r.TokenPrefix))
		}
	}
}

func TestServerLifecycle(t *testing.T) {
	s := New(Options{})
	if s.URL() != "" {
		t.Errorf("URL before serving = %q", s.URL())
	}
	url, err := s.Start()
	if err != nil || url != s.URL() || !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("Start = %q, %v", url, err)
	}
	if _, err := s.Start(); err == nil {
		t.Error("second Start succeeded")
	}
	store := s.StoreDir()
	if _, err := os.Stat(store); err != nil {
		t.Fatalf("store dir: %v", err)
	}
	s.Close()
	s.Close()
	if _, err := os.Stat(store); !os.IsNotExist(err) {
		t.Errorf("temporary store dir left behind: %v", err)
	}
	if _, err := http.Get(url + "/v1/authorization-token"); err == nil {
		t.Error("server still answers after Close")
	}
	if _, err := s.Start(); err == nil {
		t.Error("Start after Close succeeded")
	}
}

func TestUnknownRoute(t *testing.T) {
	s := startServer(t, Options{})
	for _, target := range []string{"/v1/domains", "/v1/authorization-token"} {
		resp := do(t, "GET", s.URL()+target, "", nil)
		if resp.StatusCode != 404 || resp.Header.Get("X-Amzn-ErrorType") != "UnknownOperationException" {
			t.Errorf("GET %s: %d %q", target, resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"))
		}
	}
}
