package policy

import (
	"fmt"

	"github.com/ca-helper/ca-helper/helper/names"
)

// Target names the CodeArtifact resources an identity policy grants.
type Target struct {
	Region     string // also decides the partition
	Owner      string // 12-digit account that owns the domain
	Domain     string
	Repository string // empty: every repository in the domain
}

// bearerService is the sts:AWSServiceName that GetServiceBearerToken is
// limited to: CodeArtifact asks STS for the bearer token behind its own token.
const bearerService = "codeartifact.amazonaws.com"

// DomainARN is arn:PARTITION:codeartifact:REGION:OWNER:domain/DOMAIN.
func (t Target) DomainARN() string {
	return fmt.Sprintf("arn:%s:codeartifact:%s:%s:domain/%s", Partition(t.Region), t.Region, t.Owner, t.Domain)
}

// RepositoryARN is the repository's ARN, or every repository of the domain
// (repository/DOMAIN/*) when no repository is set.
func (t Target) RepositoryARN() string {
	return fmt.Sprintf("arn:%s:codeartifact:%s:%s:repository/%s/%s", Partition(t.Region), t.Region, t.Owner, t.Domain, t.repo())
}

// PackageARN covers every package in the repository (package/DOMAIN/REPO/*),
// or in every repository of the domain when no repository is set.
func (t Target) PackageARN() string {
	return fmt.Sprintf("arn:%s:codeartifact:%s:%s:package/%s/%s/*", Partition(t.Region), t.Region, t.Owner, t.Domain, t.repo())
}

func (t Target) repo() string {
	if t.Repository == "" {
		return "*"
	}
	return t.Repository
}

func (t Target) check() error {
	if err := checkRegion(t.Region); err != nil {
		return err
	}
	if err := checkAccount("domain owner", t.Owner); err != nil {
		return err
	}
	// The name checks also keep ARN wildcards (* ?) and separators (/ :) out,
	// so a name can never widen a resource.
	if !names.Domain(t.Domain) {
		return fmt.Errorf("domain %q is not a domain name", t.Domain)
	}
	if t.Repository != "" && !names.Repository(t.Repository) {
		return fmt.Errorf("repository %q is not a repository name", t.Repository)
	}
	return nil
}

// Identity is the policy a user or role needs to fetch tokens for t and read
// from its repository; publish adds publishing packages to it. It names the
// four actions a token fetch and a Maven download need, each on the narrowest
// resource IAM authorizes it on, and no wildcard action.
func Identity(t Target, publish bool) (Document, error) {
	if err := t.check(); err != nil {
		return Document{}, fmt.Errorf("identity policy: %w", err)
	}
	d := Document{Version: Version, Statement: []Statement{
		{Sid: "GetAuthorizationToken", Effect: "Allow",
			Action:   Values{"codeartifact:GetAuthorizationToken"},
			Resource: Values{t.DomainARN()}},
		{Sid: "GetServiceBearerToken", Effect: "Allow",
			Action:    Values{"sts:GetServiceBearerToken"},
			Resource:  Values{"*"}, // the action has no resource type
			Condition: Condition{"StringEquals": {"sts:AWSServiceName": bearerService}}},
		{Sid: "ReadFromRepository", Effect: "Allow",
			Action:   Values{"codeartifact:GetRepositoryEndpoint", "codeartifact:ReadFromRepository"},
			Resource: Values{t.RepositoryARN()}},
	}}
	if publish {
		d.Statement = append(d.Statement, Statement{Sid: "PublishPackages", Effect: "Allow",
			Action:   Values{"codeartifact:PublishPackageVersion", "codeartifact:PutPackageMetadata"},
			Resource: Values{t.PackageARN()}})
	}
	return d, nil
}
