package test

import (
	"bufio"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// The common failures of `ca-helper get`, as a new user meets them: each
// prints exactly an error line and a hint line naming the fix, nothing on
// stdout, no line of the AWS SDK's own logging, and no secret.
func TestGetErrors(t *testing.T) {
	// A denial as the real service words it for an SSO user, naming a
	// repository ARN: a message of ~330 bytes, cut mid-ARN at 200 before.
	const resourceARN = "arn:aws:codeartifact:us-east-1:111122223333:repository/demo/team-platform-releases"
	denied := "User: arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_DeveloperAccess_0123456789abcdef/jane.doe@example.com " +
		"is not authorized to perform: codeartifact:GetAuthorizationToken on resource: " + resourceARN +
		" because no identity-based policy allows the codeartifact:GetAuthorizationToken action"
	longARN := "arn:aws:codeartifact:us-east-1:111122223333:repository/demo/" + strings.Repeat("r", 600) + "-tail"
	role := awsKeys{"ASIAIMDSERRORS", "imds-errors-secret"}

	cases := []struct {
		name  string
		setup func(t *testing.T, h *harness)
		args  []string
		code  int
		want  []string // each must be on stderr
		not   []string // none may be on stderr
	}{
		{
			name: "profile typo",
			setup: func(t *testing.T, h *harness) {
				h.useProfiles("[profile dev]\nregion = us-east-1\n", "[dev]\naws_access_key_id = "+testKeyID+"\naws_secret_access_key = "+testSecret+"\n")
			},
			args: []string{"--profile", "dve"},
			code: 3,
			want: []string{`error: load AWS config: no credentials: profile "dve" is not in the AWS config or credentials file`,
				"hint: did you mean dev? pass --profile dev or set AWS_PROFILE=dev"},
		},
		{
			name: "region typo",
			args: []string{"--region", "us-east1"},
			code: 2,
			want: []string{`error: invalid region "us-east1" from flag --region`, "hint: did you mean us-east-1?"},
			not:  []string{"ca-helper doctor"}, // the hint is the whole fix
		},
		{
			name: "region typo in the profile",
			setup: func(t *testing.T, h *harness) {
				h.useProfiles("[profile dev]\nregion = us-east1\n", "[dev]\naws_access_key_id = "+testKeyID+"\naws_secret_access_key = "+testSecret+"\n")
				h.env["AWS_REGION"] = ""
				h.env["AWS_ENDPOINT_URL_CODEARTIFACT"] = "" // fails before any call
			},
			args: []string{"--profile", "dev"},
			code: 2,
			want: []string{`error: load AWS config: bad region: "us-east1" from the AWS config of profile dev is not a region name`,
				"hint: did you mean us-east-1? run `aws configure set region us-east-1 --profile dev`"},
		},
		{
			name:  "no credentials, IMDS disabled",
			setup: func(t *testing.T, h *harness) { h.noEnvKeys() },
			code:  3,
			want: []string{"error: get AWS credentials: no credentials: none found in the environment, the AWS config or credentials files, SSO",
				"`aws configure`", "`aws sso login --profile P`", "AWS_PROFILE=P", "run `ca-helper doctor`"},
			not: []string{"IMDS", "EC2"},
		},
		{
			name: "no credentials, IMDS unreachable",
			setup: func(t *testing.T, h *harness) {
				h.noEnvKeys()
				h.env["AWS_EC2_METADATA_DISABLED"] = ""
				h.env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = silentEndpoint(t)
			},
			code: 3,
			want: []string{"no credentials: none found", "`aws sso login --profile P`"},
			not:  []string{"IMDS", "EC2"},
		},
		{
			// A metadata service that refuses IMDSv2 tokens makes the SDK
			// log "falling back to IMDSv1" (see TestGetErrorsSDKLogIsDebug).
			name: "no credentials, IMDS answering v1 only",
			setup: func(t *testing.T, h *harness) {
				h.noEnvKeys()
				h.env["AWS_EC2_METADATA_DISABLED"] = ""
				h.env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imdsV1Only(t)
			},
			code: 3,
			want: []string{"no credentials: none found", "`aws sso login --profile P`"},
			not:  []string{"IMDSv1", "falling back"},
		},
		{
			name: "IMDS present, CodeArtifact refuses the instance role",
			setup: func(t *testing.T, h *harness) {
				imds := startIMDSMock(t, role) // skips only when ec2-metadata-mock is not installed (.ci/run installs it)
				h.noEnvKeys()
				h.env["AWS_EC2_METADATA_DISABLED"] = ""
				h.env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds
				h.fake.SetFault(fake.Fault{Kind: fake.AccessDenied})
			},
			code: 3,
			want: []string{"error: get authorization token for domain demo: access denied", "sts:GetServiceBearerToken", "run `ca-helper doctor`"},
			not:  []string{role.secret},
		},
		{
			name:  "access denied names the whole resource",
			setup: func(t *testing.T, h *harness) { h.fake.SetFault(fake.Fault{Kind: fake.AccessDenied, Message: denied}) },
			code:  3,
			want: []string{"on resource: " + resourceARN + " because no identity-based policy allows",
				"hint: allow codeartifact:GetAuthorizationToken on arn:aws:codeartifact:us-east-1:" + testOwner + ":domain/demo", "run `ca-helper doctor`"},
		},
		{
			name: "access denied, a very long ARN keeps both ends",
			setup: func(t *testing.T, h *harness) {
				h.fake.SetFault(fake.Fault{Kind: fake.AccessDenied, Message: "not authorized on resource: " + longARN + " because no identity-based policy allows it"})
			},
			code: 3,
			want: []string{"on resource: arn:aws:codeartifact:us-east-1:", "rrr-tail because no identity-based policy allows it", "…"},
		},
		{
			name: "dead endpoint override",
			setup: func(t *testing.T, h *harness) {
				h.env["AWS_ENDPOINT_URL_CODEARTIFACT"] = "http://someone:pa55word@127.0.0.1:1/?X-Amz-Signature=s3cret"
			},
			code: 1,
			want: []string{"connection refused",
				"hint: cannot reach CodeArtifact at http://REDACTED@127.0.0.1:1/?X-Amz-Signature=REDACTED, set by AWS_ENDPOINT_URL_CODEARTIFACT: fix or unset AWS_ENDPOINT_URL_CODEARTIFACT",
				"run `ca-helper doctor`"},
			not: []string{"pa55word", "s3cret", "--region"},
		},
		{
			name:  "connection reset",
			setup: func(t *testing.T, h *harness) { h.env["AWS_ENDPOINT_URL_CODEARTIFACT"] = resettingEndpoint(t) },
			code:  1,
			want:  []string{"error: get authorization token for domain demo: network: read tcp", "connection reset by peer", "set by AWS_ENDPOINT_URL_CODEARTIFACT", "run `ca-helper doctor`"},
			not:   []string{"failed to discard", "not valid JSON"},
		},
		{
			name: "timeout out of range",
			args: []string{"--timeout", "1ns"},
			code: 2,
			want: []string{`error: invalid timeout "1ns" from flag --timeout`, "hint: use a timeout from 1s to 10m"},
			not:  []string{"no credentials"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, fake.Options{Secrets: map[string]string{testKeyID: testSecret, role.keyID: role.secret}})
			if tc.setup != nil {
				tc.setup(t, h)
			}
			r := h.run("ca-helper", append([]string{"get", "--cache", "none"}, tc.args...)...)
			t.Logf("exit %d after %s\n%s", r.code, r.took.Round(time.Millisecond), r.stderr)
			wantOneFailure(t, h, r, tc.code)
			for _, w := range tc.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
			for _, n := range append(tc.not, testSecret) {
				if strings.Contains(r.stderr, n) {
					t.Errorf("stderr holds %q:\n%s", n, r.stderr)
				}
			}
		})
	}
}

// wantOneFailure checks the shape of every failure of get: exit code, empty
// stdout, exactly one error line then one hint line, no SDK log line, no
// token the fake issued.
func wantOneFailure(t *testing.T, h *harness, r result, code int) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit %d, want %d", r.code, code)
	}
	if r.stdout != "" {
		t.Errorf("stdout not empty: %q", r.stdout)
	}
	lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "ca-helper: error: ") || !strings.HasPrefix(lines[1], "ca-helper: hint: ") ||
		!strings.HasSuffix(r.stderr, "\n") {
		t.Errorf("stderr is not one error line and one hint line:\n%s", r.stderr)
	}
	if strings.Contains(r.stderr, "SDK ") {
		t.Errorf("an SDK log line reached stderr:\n%s", r.stderr)
	}
	for _, word := range strings.Fields(r.stderr) {
		if h.fake.ValidToken(strings.Trim(word, `"',.;:`)) {
			t.Errorf("a token reached stderr")
		}
	}
}

// The SDK's warnings go to --debug output as ca-helper debug lines, which
// also shows that the rows above did make the SDK log something.
func TestGetErrorsSDKLogIsDebug(t *testing.T) {
	h := newHarness(t, fake.Options{})
	h.noEnvKeys()
	h.env["AWS_EC2_METADATA_DISABLED"] = ""
	h.env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imdsV1Only(t)
	r := h.run("ca-helper", "get", "--cache", "none", "--debug")
	if r.code != 3 || !strings.Contains(r.stderr, "ca-helper: debug: aws sdk warn: falling back to IMDSv1") {
		t.Errorf("want exit 3 and the SDK's warning as a debug line: %s", r)
	}
	for _, line := range strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n") {
		if !strings.HasPrefix(line, "ca-helper: ") {
			t.Errorf("a line without ca-helper's prefix: %q", line)
		}
	}
}

// imdsV1Only is a metadata service that refuses IMDSv2 session tokens (403,
// as a proxy in front of one may) and has no instance role.
func imdsV1Only(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// resettingEndpoint reads each request, starts an answer, and resets the
// connection in the middle of its body.
func resettingEndpoint(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				req, err := http.ReadRequest(bufio.NewReader(c))
				if err == nil {
					req.Body.Close()
					c.Write([]byte("HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n{\"message\": \"part"))
					time.Sleep(20 * time.Millisecond)
				}
				c.(*net.TCPConn).SetLinger(0) // close with RST
				c.Close()
			}(c)
		}
	}()
	return "http://" + l.Addr().String()
}
