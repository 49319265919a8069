package test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
	"github.com/ca-helper/ca-helper/test/testenv"
)

// Stand-in services for the credential-source tests: moto_server as STS,
// ec2-metadata-mock as the EC2 instance metadata service, and small servers of
// our own. Each runs on 127.0.0.1 for one test.

const (
	motoInstall = "pip install 'moto[server]'"
	aemmInstall = "go install github.com/aws/amazon-ec2-metadata-mock/cmd/ec2-metadata-mock@v1.13.0"
)

var standIn = &http.Client{Timeout: 10 * time.Second}

// requireTool returns the path of a stand-in's program (see testenv.Tool).
func requireTool(t *testing.T, name, install string) string {
	t.Helper()
	return testenv.Tool(t, name, install)
}

// freePort returns a port on 127.0.0.1 that was free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

// startDaemon runs cmd until the test ends, waiting until ready succeeds. The
// program's output goes to a file, shown when it fails to get ready.
func startDaemon(t *testing.T, cmd *exec.Cmd, ready func() error) {
	t.Helper()
	name := filepath.Base(cmd.Path)
	logPath := filepath.Join(t.TempDir(), name+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	err = cmd.Start()
	logFile.Close() // the child holds its own descriptor
	if err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := ready()
		if err == nil {
			return
		}
		select {
		case werr := <-exited:
			exited <- werr // for the cleanup
			out, _ := os.ReadFile(logPath)
			t.Fatalf("%s exited before it was ready (%v):\n%s", name, werr, out)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			out, _ := os.ReadFile(logPath)
			t.Fatalf("%s not ready after 30s: %v\n%s", name, err, out)
		}
	}
}

// call sends one request to a stand-in and returns its body, failing the
// test unless the status is want.
func call(t *testing.T, req *http.Request, want int) []byte {
	t.Helper()
	resp, err := standIn.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d: %s", req.Method, req.URL, resp.StatusCode, want, body)
	}
	return body
}

func newRequest(t *testing.T, method, url string, body io.Reader) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// awsKeys is an access key pair as an AWS credential source hands it out.
type awsKeys struct{ keyID, secret string }

// motoSTS is moto_server answering STS calls.
type motoSTS struct{ url string }

func startMoto(t *testing.T) *motoSTS {
	t.Helper()
	bin := requireTool(t, "moto_server", motoInstall)
	port := freePort(t)
	m := &motoSTS{url: "http://127.0.0.1:" + port}
	startDaemon(t, exec.Command(bin, "-H", "127.0.0.1", "-p", port), func() error {
		resp, err := standIn.Get(m.url + "/moto-api/data.json")
		if err == nil {
			resp.Body.Close()
		}
		return err
	})
	return m
}

// seed resets moto's random generator: the keys the next AssumeRole returns
// depend on the seed only.
func (m *motoSTS) seed(t *testing.T, n int) {
	t.Helper()
	call(t, newRequest(t, http.MethodPost, m.url+"/moto-api/seed?a="+strconv.Itoa(n), nil), http.StatusOK)
}

// assumeRole calls AssumeRole itself, under session name "probe".
func (m *motoSTS) assumeRole(t *testing.T, roleARN string) awsKeys {
	t.Helper()
	form := url.Values{"Action": {"AssumeRole"}, "Version": {"2011-06-15"},
		"RoleArn": {roleARN}, "RoleSessionName": {"probe"}}
	req := newRequest(t, http.MethodPost, m.url+"/", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	// moto does not check signatures; the scope tells it the service and region.
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDPROBE/20250101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00")
	var out struct {
		Keys struct {
			KeyID  string `xml:"AccessKeyId"`
			Secret string `xml:"SecretAccessKey"`
		} `xml:"AssumeRoleResult>Credentials"`
	}
	if err := xml.Unmarshal(call(t, req, http.StatusOK), &out); err != nil || out.Keys.KeyID == "" {
		t.Fatalf("AssumeRole answer unreadable (%v): %+v", err, out)
	}
	return awsKeys{out.Keys.KeyID, out.Keys.Secret}
}

// assumedRole is one AssumeRole call moto remembers.
type assumedRole struct {
	KeyID       string `json:"access_key_id"`
	RoleARN     string `json:"role_arn"`
	SessionName string `json:"session_name"`
}

func (m *motoSTS) assumedRoles(t *testing.T) []assumedRole {
	t.Helper()
	var state struct {
		STS struct {
			AssumedRole []assumedRole
		} `json:"sts"`
	}
	body := call(t, newRequest(t, http.MethodGet, m.url+"/moto-api/data.json", nil), http.StatusOK)
	if err := json.Unmarshal(body, &state); err != nil {
		t.Fatalf("moto state: %v", err)
	}
	return state.STS.AssumedRole
}

// keyRecorder is a reverse proxy that notes the access key id each request
// was signed with before passing it on.
type keyRecorder struct {
	url string
	mu  sync.Mutex
	ids []string
}

func recordKeys(t *testing.T, target string) *keyRecorder {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	rec := &keyRecorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.ids = append(rec.ids, signingKeyID(r.Header.Get("Authorization")))
		rec.mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	rec.url = srv.URL
	return rec
}

func (k *keyRecorder) keyIDs() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]string(nil), k.ids...)
}

// signingKeyID reads AKID from "AWS4-HMAC-SHA256 Credential=AKID/…".
func signingKeyID(authorization string) string {
	_, rest, _ := strings.Cut(authorization, "Credential=")
	id, _, _ := strings.Cut(rest, "/")
	return id
}

// startIMDSMock runs ec2-metadata-mock in IMDSv2-only mode, serving role as
// the instance role's credentials, and returns its base URL.
func startIMDSMock(t *testing.T, role awsKeys) string {
	t.Helper()
	bin := requireTool(t, "ec2-metadata-mock", aemmInstall)
	dir := t.TempDir()
	// The mock's built-in credentials expired in 2020; serve live ones with a
	// key id no other source uses.
	overrides := map[string]any{"metadata": map[string]any{"values": map[string]any{
		"iam-security-credentials-role": "ca-helper-ci",
		"iam-security-credentials": map[string]string{
			"Code": "Success", "Type": "AWS-HMAC", "LastUpdated": time.Now().UTC().Format(time.RFC3339),
			"AccessKeyId": role.keyID, "SecretAccessKey": role.secret, "Token": "imds-session-token",
			"Expiration": time.Now().Add(6 * time.Hour).UTC().Format(time.RFC3339),
		},
	}}}
	b, err := json.Marshal(overrides)
	if err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "aemm-overrides.json")
	if err := os.WriteFile(cfgPath, b, 0o600); err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	base := "http://127.0.0.1:" + port
	cmd := exec.Command(bin, "-n", "127.0.0.1", "-p", port, "--imdsv2", "-c", cfgPath)
	cmd.Env = append(os.Environ(), "HOME="+dir) // not the user's ~/aemm-config.json
	startDaemon(t, cmd, func() error {
		req := newRequest(t, http.MethodPut, base+"/latest/api/token", nil)
		req.Header.Set("X-Aws-Ec2-Metadata-Token-Ttl-Seconds", "60")
		resp, err := standIn.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("token: status %d", resp.StatusCode)
		}
		return nil
	})
	// Without a session token the mock must refuse, or the test would not
	// show that ca-helper speaks IMDSv2.
	call(t, newRequest(t, http.MethodGet, base+"/latest/meta-data/iam/security-credentials/", nil), http.StatusUnauthorized)
	return base
}

// silentEndpoint accepts connections and never answers, like a metadata
// address that swallows requests.
func silentEndpoint(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + l.Addr().String()
}

// useProfiles writes the AWS config and credentials files and takes the access
// keys out of the environment, so only the files can supply credentials.
func (h *harness) useProfiles(config, credentials string) {
	h.t.Helper()
	dir := filepath.Join(h.home, ".aws")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		h.t.Fatal(err)
	}
	for name, text := range map[string]string{"config": config, "credentials": credentials} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			h.t.Fatal(err)
		}
	}
	h.env["AWS_CONFIG_FILE"] = filepath.Join(dir, "config")
	h.env["AWS_SHARED_CREDENTIALS_FILE"] = filepath.Join(dir, "credentials")
	h.noEnvKeys()
}

// noEnvKeys removes the harness's access keys from the child's environment.
func (h *harness) noEnvKeys() {
	h.env["AWS_ACCESS_KEY_ID"], h.env["AWS_SECRET_ACCESS_KEY"] = "", ""
}

// tokenCallers lists the access key id each GetAuthorizationToken call was
// signed with, oldest first.
func tokenCallers(f *fake.Server) []string {
	var ids []string
	for _, r := range f.Requests() {
		if r.Op == fake.OpGetAuthorizationToken {
			ids = append(ids, r.AccessKeyID)
		}
	}
	return ids
}

// cacheFiles lists the token files in the file cache, by name.
func (h *harness) cacheFiles() []string {
	h.t.Helper()
	paths, err := filepath.Glob(filepath.Join(h.cache, "*.json"))
	if err != nil {
		h.t.Fatal(err)
	}
	var names []string
	for _, p := range paths {
		if name := filepath.Base(p); name != "index.json" {
			names = append(names, name)
		}
	}
	return names
}
