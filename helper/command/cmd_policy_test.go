package command

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/helper/failure"
)

// policySetup clears every variable that could supply or spoil a target, so
// each case says exactly where domain, owner and region come from.
func policySetup(t *testing.T) *fakeSystem {
	t.Helper()
	sys := newSystem(t)
	// Any AWS call would fail; the command must not make one.
	sys.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1")
	return sys
}

// policyRun runs ca-helper policy in-process through Run, as main does.
func policyRun(sys *fakeSystem, args ...string) (code int, stdout, stderr string) {
	sys.t.Helper()
	return sys.run(append([]string{"policy"}, args...)...)
}

func TestPolicyCommand(t *testing.T) {
	target := []string{"--domain", "my-domain", "--domain-owner", "111122223333", "--region", "eu-west-1"}
	withTarget := func(args ...string) []string { return append(append([]string{}, target...), args...) }
	const pre = "arn:aws:codeartifact:eu-west-1:111122223333:"
	const url = "https://my-domain-111122223333.d.codeartifact.eu-west-1.amazonaws.com/maven/releases/"
	tests := []struct {
		name       string
		args       []string
		env        map[string]string
		wantCode   int
		wantOut    []string // in stdout, which must then be one JSON document
		wantNotOut []string
		wantErr    []string // in stderr
		wantNoErr  bool     // stderr must be empty
	}{
		{name: "identity", args: withTarget("--repository", "releases"),
			wantOut:    []string{pre + "domain/my-domain", pre + "repository/my-domain/releases", `"sts:AWSServiceName": "codeartifact.amazonaws.com"`},
			wantNotOut: []string{"PublishPackageVersion", "Principal"}, wantNoErr: true},
		{name: "identity from url", args: []string{"--url", url, "--publish"},
			wantOut:   []string{pre + "repository/my-domain/releases", pre + "package/my-domain/releases/*", "codeartifact:PutPackageMetadata"},
			wantNoErr: true},
		{name: "publish from env", args: withTarget("--repository", "releases"), env: map[string]string{"CA_HELPER_PUBLISH": "true"},
			wantOut: []string{"codeartifact:PublishPackageVersion"}},
		{name: "region and owner from env", args: []string{"--domain", "my-domain", "--repository", "r1"},
			env:     map[string]string{"AWS_REGION": "cn-north-1", "CODEARTIFACT_DOMAIN_OWNER": "210987654321"},
			wantOut: []string{"arn:aws-cn:codeartifact:cn-north-1:210987654321:repository/my-domain/r1"}},
		{name: "no repository warns on stderr", args: withTarget("--publish"),
			wantOut: []string{pre + "repository/my-domain/*", pre + "package/my-domain/*/*"},
			wantErr: []string{"ca-helper: warning: no repository given", "--repository"}},
		{name: "trust ec2", args: withTarget("--trust", "ec2"),
			wantOut: []string{`"Service": "ec2.amazonaws.com"`, `"Action": "sts:AssumeRole"`}, wantNotOut: []string{"Resource", "codeartifact:"}, wantNoErr: true},
		{name: "trust ecs in role account", args: withTarget("--trust", "ecs", "--role-account", "444455556666"),
			wantOut: []string{"ecs-tasks.amazonaws.com", `"aws:SourceAccount": "444455556666"`}, wantNotOut: []string{"111122223333"}},
		{name: "trust ecs defaults to the domain owner", args: []string{"--domain", "my-domain", "--domain-owner", "210987654321", "--region", "eu-west-1", "--trust", "ecs"},
			wantOut: []string{`"aws:SourceAccount": "210987654321"`}},
		{name: "trust codebuild", args: withTarget("--trust", "codebuild"), wantOut: []string{"codebuild.amazonaws.com"}},
		{name: "trust github", args: withTarget("--trust", "github-actions", "--github-repo", "my-org/my-repo"),
			wantOut: []string{"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com", `"repo:my-org/my-repo:*"`,
				`"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"`}},

		{name: "missing region", args: []string{"--domain", "my-domain", "--domain-owner", "111122223333"},
			wantCode: failure.Usage, wantErr: []string{"needs the region", "--region"}},
		{name: "missing owner", args: []string{"--domain", "my-domain", "--region", "eu-west-1"},
			wantCode: failure.Usage, wantErr: []string{"needs the account that owns domain my-domain", "--domain-owner"}},
		{name: "missing region with trust", args: []string{"--domain", "my-domain", "--domain-owner", "111122223333", "--trust", "ec2"},
			wantCode: failure.Usage, wantErr: []string{"--region"}},
		{name: "no domain", args: []string{"--region", "eu-west-1"}, wantCode: failure.Usage, wantErr: []string{"no CodeArtifact domain"}},
		{name: "bad trust", args: withTarget("--trust", "lambda"),
			wantCode: failure.Usage, wantErr: []string{`invalid --trust "lambda"`, "ec2, ecs, codebuild or github-actions"}},
		{name: "bad trust before target", args: []string{"--trust", "lambda"}, wantCode: failure.Usage, wantErr: []string{"invalid --trust"}},
		{name: "github without repo", args: withTarget("--trust", "github-actions"),
			wantCode: failure.Usage, wantErr: []string{"needs --github-repo"}},
		{name: "github bad repo", args: withTarget("--trust", "github-actions", "--github-repo", "my-org/*"),
			wantCode: failure.Usage, wantErr: []string{`invalid --github-repo "my-org/*"`}},
		{name: "github repo without trust", args: withTarget("--github-repo", "my-org/my-repo"),
			wantCode: failure.Usage, wantErr: []string{"--github-repo applies only with --trust"}},
		{name: "github repo with ec2", args: withTarget("--trust", "ec2", "--github-repo", "my-org/my-repo"),
			wantCode: failure.Usage, wantErr: []string{"only with --trust github-actions"}},
		{name: "publish with trust", args: withTarget("--trust", "ecs", "--publish"),
			wantCode: failure.Usage, wantErr: []string{"--publish does not apply"}},
		{name: "bad role account", args: withTarget("--trust", "ecs", "--role-account", "12345"),
			wantCode: failure.Usage, wantErr: []string{`invalid --role-account "12345"`}},
		{name: "role account without trust", args: withTarget("--role-account", "444455556666"),
			wantCode: failure.Usage, wantErr: []string{"--role-account applies only with --trust"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sys := policySetup(t)
			for k, v := range tt.env {
				sys.setenv(k, v)
			}
			code, stdout, stderr := policyRun(sys, tt.args...)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.wantCode, stdout, stderr)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if tt.wantNoErr && stderr != "" {
				t.Errorf("stderr not empty:\n%s", stderr)
			}
			if code != 0 {
				if stdout != "" {
					t.Errorf("stdout not empty on failure:\n%s", stdout)
				}
				if !strings.Contains(stderr, "ca-helper: hint: ") {
					t.Errorf("no hint:\n%s", stderr)
				}
				return
			}
			checkPolicyOutput(t, stdout)
			for _, w := range tt.wantOut {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout)
				}
			}
			for _, w := range tt.wantNotOut {
				if strings.Contains(stdout, w) {
					t.Errorf("stdout has %q:\n%s", w, stdout)
				}
			}
		})
	}
}

// checkPolicyOutput: stdout is exactly one indented JSON policy and a newline.
func checkPolicyOutput(t *testing.T, stdout string) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(stdout))
	var doc struct {
		Version   string
		Statement []map[string]any
	}
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if dec.More() || !strings.HasSuffix(stdout, "}\n") || strings.HasSuffix(stdout, "\n\n") {
		t.Errorf("stdout must be one document and one newline:\n%q", stdout)
	}
	if doc.Version != "2012-10-17" || len(doc.Statement) == 0 {
		t.Errorf("not a policy document:\n%s", stdout)
	}
	if !strings.HasPrefix(stdout, "{\n  \"Version\"") {
		t.Errorf("not indented by two spaces:\n%s", stdout)
	}
}

func TestPolicyHelp(t *testing.T) {
	sys := policySetup(t)
	code, stdout, _ := policyRun(sys, "--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, w := range []string{"--trust KIND", "--github-repo ORG/REPO", "--publish", "only the trust policy", "without --trust"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("help lacks %q:\n%s", w, stdout)
		}
	}
}
