package setupcmd

import (
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/names"
	"github.com/ca-helper/ca-helper/helper/policy"
	"github.com/ca-helper/ca-helper/helper/target"
)

const policyDescription = `Prints an IAM policy document as JSON on stdout; nothing else goes there, so
the output can be piped straight into a file or the AWS CLI. No AWS call is
made: the ARNs are built from the target, which must name its region and
domain owner (--region and --domain-owner, a --url, or a config target).

Without --trust: the identity policy to attach to the user or role that runs
ca-helper. It allows codeartifact:GetAuthorizationToken on the domain,
sts:GetServiceBearerToken for CodeArtifact only, and GetRepositoryEndpoint and
ReadFromRepository on the repository; --publish adds PublishPackageVersion and
PutPackageMetadata on the repository's packages. Without a repository the
policy covers every repository of the domain, and a warning says so.

With --trust KIND: only the trust policy of a role that KIND assumes (ec2,
ecs, codebuild, or github-actions with --github-repo). Run the command again
without --trust for the identity policy to attach to that role, e.g.:

  ca-helper policy --trust ecs -t work > trust.json
  ca-helper policy -t work > identity.json
  aws iam create-role --role-name ca-reader --assume-role-policy-document file://trust.json
  aws iam put-role-policy --role-name ca-reader --policy-name codeartifact-read --policy-document file://identity.json

For github-actions, repositories created on or after 15 July 2026 (and older
ones that opted in) send an immutable sub claim; give those as
--github-repo ORG@ORG_ID/REPO@REPO_ID.`

func Policy(e *cmdenv.Env) *cli.Command {
	return &cli.Command{
		Name:  "policy",
		Usage: "print a least-privilege IAM policy for the target (--trust: a role's trust policy instead)",
		UsageText: "ca-helper policy [--domain D --domain-owner O --region R --repository REPO | --url URL | --target NAME] [--publish]\n" +
			"ca-helper policy [target options] --trust ec2|ecs|codebuild|github-actions [--github-repo ORG/REPO] [--role-account ID]",
		Description: policyDescription,
		Flags: append(cmdenv.TargetFlags(),
			&cli.BoolFlag{Name: "publish", Usage: "also allow publishing packages to the repository"},
			&cli.StringFlag{Name: "trust", Usage: "print only the trust policy of a role for `KIND`: ec2, ecs, codebuild or github-actions"},
			&cli.StringFlag{Name: "github-repo", Usage: "for --trust github-actions: the repository whose workflows may assume the role, as `ORG/REPO` or ORG@ORG_ID/REPO@REPO_ID"},
			&cli.StringFlag{Name: "role-account", Usage: "for --trust: the 12-digit `ID` of the account the role is in (default: the domain owner)"},
		),
		Action: func(c *cli.Context) error {
			doc, err := policyDocument(e, c)
			if err != nil {
				return err
			}
			return writePolicy(e.Stdout, doc)
		},
	}
}

// policyDocument checks the flags, resolves the target and builds the document;
// it writes nothing to stdout, so a failure leaves stdout empty.
func policyDocument(e *cmdenv.Env, c *cli.Context) (policy.Document, error) {
	kind, err := trustKind(c)
	if err != nil {
		return policy.Document{}, err
	}
	t, _, err := e.Resolve(c)
	if err != nil {
		return policy.Document{}, err
	}
	if t.Region == "" {
		return policy.Document{}, failure.Usagef("pass --region, set AWS_REGION, or add region to the config target; ca-helper does not ask AWS for it",
			"the policy needs the region of domain %s for its ARNs", t.Domain)
	}
	if t.Owner == "" {
		return policy.Document{}, failure.Usagef("pass --domain-owner (the 12-digit account that owns the domain), set CODEARTIFACT_DOMAIN_OWNER, or add domain_owner to the config target",
			"the policy needs the account that owns domain %s for its ARNs", t.Domain)
	}
	if kind != "" {
		return trustPolicy(e, c, kind, t)
	}
	if t.Repository == "" {
		e.Warn(fmt.Sprintf("no repository given: the policy allows every repository in domain %s; pass --repository to narrow it", t.Domain))
	}
	doc, err := policy.Identity(policy.Target{Region: t.Region, Owner: t.Owner, Domain: t.Domain, Repository: t.Repository}, c.Bool("publish"))
	if err != nil {
		return doc, failure.Usagef("check the target's values", "%w", err)
	}
	return doc, nil
}

// trustKind reads --trust and rejects flags that belong to the other mode.
func trustKind(c *cli.Context) (policy.TrustKind, error) {
	raw := c.String("trust")
	if raw == "" {
		for _, name := range []string{"github-repo", "role-account"} {
			if c.String(name) != "" {
				return "", failure.Usagef("add --trust KIND, or leave --"+name+" out", "--%s applies only with --trust", name)
			}
		}
		return "", nil
	}
	kind, err := policy.ParseTrustKind(raw)
	if err != nil {
		return "", failure.Usagef("use --trust "+trustKindList(), "invalid --trust %q", failure.Printable(raw))
	}
	if c.Bool("publish") {
		return "", failure.Usagef("run without --trust for the identity policy, which --publish extends",
			"--publish does not apply to a trust policy")
	}
	repo := c.String("github-repo")
	switch {
	case kind == policy.TrustGitHubActions && repo == "":
		return "", failure.Usagef("pass --github-repo ORG/REPO (or ORG@ORG_ID/REPO@REPO_ID), the repository whose workflows may assume the role",
			"--trust github-actions needs --github-repo")
	case kind != policy.TrustGitHubActions && repo != "":
		return "", failure.Usagef("leave --github-repo out, or use --trust github-actions", "--github-repo applies only with --trust github-actions")
	case repo != "":
		if err := policy.CheckGitHubRepo(repo); err != nil {
			return "", failure.Usagef("use ORG/REPO, e.g. my-org/my-service, or ORG@ORG_ID/REPO@REPO_ID for an immutable sub claim",
				"invalid --github-repo %q", failure.Printable(repo))
		}
	}
	if acct := c.String("role-account"); acct != "" && !names.Account(acct) {
		return "", failure.Usagef("use the 12-digit id of the account the role is in", "invalid --role-account %q", failure.Printable(acct))
	}
	return kind, nil
}

func trustPolicy(e *cmdenv.Env, c *cli.Context, kind policy.TrustKind, t target.Target) (policy.Document, error) {
	account := c.String("role-account")
	if account == "" {
		account = t.Owner
	}
	doc, err := policy.Trust(kind, policy.TrustOptions{Region: t.Region, Account: account, GitHubRepo: c.String("github-repo")})
	if err != nil {
		return doc, failure.Usagef("check --trust, --github-repo and --role-account", "%w", err)
	}
	return doc, nil
}

// trustKindList is "ec2, ecs, codebuild or github-actions".
func trustKindList() string {
	var names []string
	for _, k := range policy.TrustKinds() {
		names = append(names, string(k))
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// writePolicy writes the whole document at once: JSON and one newline.
func writePolicy(w io.Writer, doc policy.Document) error {
	b, err := doc.JSON()
	if err != nil {
		return failure.Wrap(failure.Runtime, "", err)
	}
	_, err = w.Write(b)
	return err
}
