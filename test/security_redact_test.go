package test

import (
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// An endpoint URL may carry a password or a signed query; what ca-helper
// prints about it (doctor's report, errors, debug lines) must not.
func TestEndpointURLSecretsAreNeverPrinted(t *testing.T) {
	cases := []struct {
		name string
		dead bool // the endpoint refuses connections: the URL shows up in errors
		args []string
	}{
		{name: "doctor", args: []string{"doctor"}},
		{name: "doctor, dead endpoint", dead: true, args: []string{"doctor"}},
		{name: "doctor json, dead endpoint", dead: true, args: []string{"doctor", "--format", "json"}},
		{name: "get --debug", args: []string{"get", "--debug"}},
		{name: "get --debug, dead endpoint", dead: true, args: []string{"get", "--debug"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, fake.Options{})
			hostPort := strings.TrimPrefix(h.env["AWS_ENDPOINT_URL_CODEARTIFACT"], "http://")
			if tc.dead {
				hostPort = "127.0.0.1:1"
			}
			h.env["AWS_ENDPOINT_URL_CODEARTIFACT"] = "http://u:EPSECRET@" + hostPort + "/?X-Amz-Signature=SIGSECRET&token=TOKSECRET"
			r := h.run("ca-helper", tc.args...)
			t.Logf("%s", r)
			for _, secret := range []string{"EPSECRET", "SIGSECRET", "TOKSECRET"} {
				if strings.Contains(r.stdout, secret) || strings.Contains(r.stderr, secret) {
					t.Errorf("%s printed:\n%s", secret, r)
				}
			}
			if tc.dead && r.code == 0 {
				t.Errorf("a dead endpoint succeeded:\n%s", r)
			}
		})
	}
}
