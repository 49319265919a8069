package policy

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// TrustKind is who may assume the role a trust policy belongs to.
type TrustKind string

// The trust policies Trust can build.
const (
	TrustEC2           TrustKind = "ec2"            // an instance profile
	TrustECS           TrustKind = "ecs"            // an ECS task role
	TrustCodeBuild     TrustKind = "codebuild"      // a CodeBuild service role
	TrustGitHubActions TrustKind = "github-actions" // GitHub's OIDC provider
)

var trustKinds = []TrustKind{TrustEC2, TrustECS, TrustCodeBuild, TrustGitHubActions}

// TrustKinds lists every kind, in the order help text shows them.
func TrustKinds() []TrustKind { return slices.Clone(trustKinds) }

// ParseTrustKind accepts one of TrustKinds.
func ParseTrustKind(s string) (TrustKind, error) {
	for _, k := range trustKinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("unknown trust kind %q", s)
}

// TrustOptions say where the role lives and, for GitHub Actions, which
// repository's workflows may assume it.
type TrustOptions struct {
	Region     string // decides the partition
	Account    string // 12-digit account the role (and the OIDC provider) is in
	GitHubRepo string // ORG/REPO or ORG@ORG_ID/REPO@REPO_ID; github-actions only
}

// GitHub's OIDC issuer, as registered as an IAM identity provider.
const githubIssuer = "token.actions.githubusercontent.com"

// githubRepoPattern is an owner and a repository name, each optionally
// followed by @ and the numeric id that immutable sub claims carry.
var githubRepoPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9-]{0,38})(@[0-9]+)?/([A-Za-z0-9._-]{1,100})(@[0-9]+)?$`)
})

// CheckGitHubRepo accepts ORG/REPO (the sub claim of repositories created
// before 15 July 2026) or ORG@ORG_ID/REPO@REPO_ID (the immutable sub claim).
func CheckGitHubRepo(s string) error {
	m := githubRepoPattern().FindStringSubmatch(s)
	if m == nil || m[3] == "." || m[3] == ".." {
		return fmt.Errorf("github repository %q is not ORG/REPO or ORG@ORG_ID/REPO@REPO_ID", s)
	}
	if (m[2] == "") != (m[4] == "") {
		return fmt.Errorf("github repository %q has an id on only one side; use ORG/REPO or ORG@ORG_ID/REPO@REPO_ID", s)
	}
	return nil
}

// Trust is the trust policy of a role that the workload of kind assumes.
// Attach the Identity policy to that role separately: a trust policy only
// says who may become the role, not what the role may do.
func Trust(kind TrustKind, o TrustOptions) (Document, error) {
	if err := checkRegion(o.Region); err != nil {
		return Document{}, fmt.Errorf("trust policy: %w", err)
	}
	if err := checkAccount("role account", o.Account); err != nil {
		return Document{}, fmt.Errorf("trust policy: %w", err)
	}
	if kind != TrustGitHubActions && o.GitHubRepo != "" {
		return Document{}, fmt.Errorf("trust policy: a github repository applies only to %s", TrustGitHubActions)
	}
	var s Statement
	switch kind {
	case TrustEC2:
		s = serviceStatement("AssumeRoleFromEC2", "ec2.amazonaws.com", nil)
	case TrustECS:
		// Task roles cannot be passed across accounts, so the tasks run in
		// the role's account: aws:SourceAccount stops a confused deputy.
		s = serviceStatement("AssumeRoleFromECSTasks", "ecs-tasks.amazonaws.com",
			Condition{"StringEquals": {"aws:SourceAccount": o.Account}})
	case TrustCodeBuild:
		s = serviceStatement("AssumeRoleFromCodeBuild", "codebuild.amazonaws.com", nil)
	case TrustGitHubActions:
		gh, err := githubStatement(o)
		if err != nil {
			return Document{}, err
		}
		s = gh
	default:
		return Document{}, fmt.Errorf("trust policy: unknown kind %q", kind)
	}
	return Document{Version: Version, Statement: []Statement{s}}, nil
}

func serviceStatement(sid, service string, c Condition) Statement {
	return Statement{Sid: sid, Effect: "Allow", Principal: &Principal{Service: service},
		Action: Values{"sts:AssumeRole"}, Condition: c}
}

func githubStatement(o TrustOptions) (Statement, error) {
	if o.GitHubRepo == "" {
		return Statement{}, fmt.Errorf("trust policy: %s needs the github repository whose workflows may assume the role", TrustGitHubActions)
	}
	if err := CheckGitHubRepo(o.GitHubRepo); err != nil {
		return Statement{}, fmt.Errorf("trust policy: %w", err)
	}
	partition := Partition(o.Region)
	return Statement{
		Sid:       "AssumeRoleFromGitHubActions",
		Effect:    "Allow",
		Principal: &Principal{Federated: fmt.Sprintf("arn:%s:iam::%s:oidc-provider/%s", partition, o.Account, githubIssuer)},
		Action:    Values{"sts:AssumeRoleWithWebIdentity"},
		Condition: Condition{
			"StringEquals": {githubIssuer + ":aud": githubAudience(partition)},
			// Any ref, pull request or environment of this one repository.
			"StringLike": {githubIssuer + ":sub": "repo:" + o.GitHubRepo + ":*"},
		},
	}, nil
}

// githubAudience is the audience aws-actions/configure-aws-credentials asks
// for: sts.amazonaws.com, and sts.amazonaws.com.cn in the China partition.
func githubAudience(partition string) string {
	if strings.HasSuffix(partition, "-cn") {
		return "sts.amazonaws.com.cn"
	}
	return "sts.amazonaws.com"
}
