package cmdenv

import (
	"testing"

	"github.com/ca-helper/ca-helper/helper/target"
)

// TestKnownEndpoint: the endpoint is built from the target only when the
// target names everything and nothing moves the service; otherwise exec
// asks GetRepositoryEndpoint.
func TestKnownEndpoint(t *testing.T) {
	full := target.Target{Domain: "my-domain", Owner: "111122223333", Region: "eu-west-1", Repository: "releases"}
	with := func(f func(*target.Target)) target.Target { t := full; f(&t); return t }
	tests := []struct {
		name   string
		target target.Target
		env    map[string]string
		typ    string
		want   string // "": ask the service
	}{
		{name: "standard", target: full, want: "https://my-domain-111122223333.d.codeartifact.eu-west-1.amazonaws.com/pypi/releases/"},
		{name: "china", target: with(func(t *target.Target) { t.Region = "cn-north-1" }),
			want: "https://my-domain-111122223333.d.codeartifact.cn-north-1.amazonaws.com.cn/pypi/releases/"},
		{name: "no owner", target: with(func(t *target.Target) { t.Owner = "" })},
		{name: "no region", target: with(func(t *target.Target) { t.Region = "" })},
		{name: "no repository", target: with(func(t *target.Target) { t.Repository = "" })},
		{name: "pinned host", target: with(func(t *target.Target) { t.Host = "127.0.0.1:8080" })},
		{name: "bad region", target: with(func(t *target.Target) { t.Region = "EU/west" })},
		{name: "bad repository", target: with(func(t *target.Target) { t.Repository = "a/b" })},
		{name: "service endpoint env", target: full, env: map[string]string{"AWS_ENDPOINT_URL_CODEARTIFACT": "http://127.0.0.1:1"}},
		{name: "global endpoint env", target: full, env: map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:1"}},
		{name: "dualstack", target: full, typ: "dualstack"},
	}
	for _, tt := range tests {
		e := &Env{System: System{Getenv: func(k string) string { return tt.env[k] }}}
		got, ok := e.KnownEndpoint(EndpointQuery{Target: tt.target, Format: "pypi", EndpointType: tt.typ})
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("%s: %q, %v; want %q", tt.name, got, ok, tt.want)
		}
	}
}
