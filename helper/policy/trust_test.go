package policy

import (
	"strings"
	"testing"
)

func TestTrust(t *testing.T) {
	const gh = "token.actions.githubusercontent.com"
	tests := []struct {
		name      string
		kind      TrustKind
		opts      TrustOptions
		principal string // JSON
		action    string
		condition string // JSON; "" for none
	}{
		{name: "ec2", kind: TrustEC2, opts: TrustOptions{Region: "eu-west-1", Account: "111122223333"},
			principal: `{"Service":"ec2.amazonaws.com"}`, action: "sts:AssumeRole"},
		{name: "ecs", kind: TrustECS, opts: TrustOptions{Region: "eu-west-1", Account: "111122223333"},
			principal: `{"Service":"ecs-tasks.amazonaws.com"}`, action: "sts:AssumeRole",
			condition: `{"StringEquals":{"aws:SourceAccount":"111122223333"}}`},
		{name: "ecs in another account", kind: TrustECS, opts: TrustOptions{Region: "eu-west-1", Account: "444455556666"},
			principal: `{"Service":"ecs-tasks.amazonaws.com"}`, action: "sts:AssumeRole",
			condition: `{"StringEquals":{"aws:SourceAccount":"444455556666"}}`},
		{name: "codebuild", kind: TrustCodeBuild, opts: TrustOptions{Region: "us-gov-east-1", Account: "111122223333"},
			principal: `{"Service":"codebuild.amazonaws.com"}`, action: "sts:AssumeRole"},
		{name: "github actions", kind: TrustGitHubActions,
			opts:      TrustOptions{Region: "eu-west-1", Account: "111122223333", GitHubRepo: "my-org/my-repo"},
			principal: `{"Federated":"arn:aws:iam::111122223333:oidc-provider/` + gh + `"}`, action: "sts:AssumeRoleWithWebIdentity",
			condition: `{"StringEquals":{"` + gh + `:aud":"sts.amazonaws.com"},"StringLike":{"` + gh + `:sub":"repo:my-org/my-repo:*"}}`},
		{name: "github actions, immutable sub", kind: TrustGitHubActions,
			opts:      TrustOptions{Region: "eu-west-1", Account: "111122223333", GitHubRepo: "my-org@123456/my.repo_2@789012"},
			principal: `{"Federated":"arn:aws:iam::111122223333:oidc-provider/` + gh + `"}`, action: "sts:AssumeRoleWithWebIdentity",
			condition: `{"StringEquals":{"` + gh + `:aud":"sts.amazonaws.com"},"StringLike":{"` + gh + `:sub":"repo:my-org@123456/my.repo_2@789012:*"}}`},
		{name: "github actions, china", kind: TrustGitHubActions,
			opts:      TrustOptions{Region: "cn-northwest-1", Account: "111122223333", GitHubRepo: "o/r"},
			principal: `{"Federated":"arn:aws-cn:iam::111122223333:oidc-provider/` + gh + `"}`, action: "sts:AssumeRoleWithWebIdentity",
			condition: `{"StringEquals":{"` + gh + `:aud":"sts.amazonaws.com.cn"},"StringLike":{"` + gh + `:sub":"repo:o/r:*"}}`},
		{name: "github actions, govcloud", kind: TrustGitHubActions,
			opts:      TrustOptions{Region: "us-gov-west-1", Account: "111122223333", GitHubRepo: "o/r"},
			principal: `{"Federated":"arn:aws-us-gov:iam::111122223333:oidc-provider/` + gh + `"}`, action: "sts:AssumeRoleWithWebIdentity",
			condition: `{"StringEquals":{"` + gh + `:aud":"sts.amazonaws.com"},"StringLike":{"` + gh + `:sub":"repo:o/r:*"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Trust(tt.kind, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := d.JSON()
			if err != nil {
				t.Fatal(err)
			}
			doc := checkGrammar(t, raw, true)
			stmts := doc["Statement"].([]any)
			if len(stmts) != 1 {
				t.Fatalf("want one statement, got %d", len(stmts))
			}
			s := stmts[0].(map[string]any)
			if got := asJSON(t, s["Principal"]); got != tt.principal {
				t.Errorf("principal %s, want %s", got, tt.principal)
			}
			if s["Action"] != tt.action {
				t.Errorf("action %v, want %s", s["Action"], tt.action)
			}
			c, ok := s["Condition"]
			if got := asJSON(t, c); (ok || tt.condition != "") && got != tt.condition {
				t.Errorf("condition %s, want %s", got, tt.condition)
			}
		})
	}
}

func TestTrustRejects(t *testing.T) {
	ok := TrustOptions{Region: "eu-west-1", Account: "111122223333"}
	with := func(repo string) TrustOptions { o := ok; o.GitHubRepo = repo; return o }
	tests := []struct {
		name string
		kind TrustKind
		opts TrustOptions
		want string
	}{
		{"unknown kind", "lambda", ok, "unknown kind"},
		{"no region", TrustEC2, TrustOptions{Account: "111122223333"}, "region"},
		{"bad account", TrustECS, TrustOptions{Region: "eu-west-1", Account: "1111-2222-3333"}, "role account"},
		{"github without repo", TrustGitHubActions, ok, "needs the github repository"},
		{"github bad repo", TrustGitHubActions, with("my-org"), "not ORG/REPO"},
		{"repo for ec2", TrustEC2, with("my-org/my-repo"), "only to github-actions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Trust(tt.kind, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Trust = %v, %v; want an error containing %q", d, err, tt.want)
			}
		})
	}
}

func TestCheckGitHubRepo(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"my-org/my-repo", true},
		{"Octo-Org/octo.repo_1", true},
		{"a/b", true},
		{"my-org@123456/my-repo@789012", true},
		{"", false},
		{"my-org", false},
		{"my-org/", false},
		{"/my-repo", false},
		{"my-org/my-repo/extra", false},
		{"-org/repo", false}, // owners start with a letter or digit
		{"my-org/*", false},  // a wildcard would trust every repository
		{"*/*", false},
		{"my-org/my-repo:ref:refs/heads/main", false}, // a sub claim, not a repository
		{"my-org/my?repo", false},
		{"my-org/.", false},
		{"my-org/..", false},
		{"my-org@123456/my-repo", false}, // ids on both sides or neither
		{"my-org/my-repo@789012", false},
		{"my-org@abc/my-repo@def", false},
		{"my org/my-repo", false},
		{strings.Repeat("a", 40) + "/r", false},
		{"o/" + strings.Repeat("r", 101), false},
	}
	for _, tt := range tests {
		if err := CheckGitHubRepo(tt.in); (err == nil) != tt.ok {
			t.Errorf("CheckGitHubRepo(%q) = %v, want ok=%v", tt.in, err, tt.ok)
		}
	}
}

func TestParseTrustKind(t *testing.T) {
	for _, k := range TrustKinds() {
		if got, err := ParseTrustKind(string(k)); err != nil || got != k {
			t.Errorf("ParseTrustKind(%q) = %q, %v", k, got, err)
		}
	}
	for _, bad := range []string{"", "EC2", "github", "lambda", "ecs-tasks"} {
		if _, err := ParseTrustKind(bad); err == nil {
			t.Errorf("ParseTrustKind(%q): no error", bad)
		}
	}
}
