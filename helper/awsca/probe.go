package awsca

import (
	"context"
	"errors"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/codeartifact"

	"github.com/ca-helper/ca-helper/helper/failure"
)

// Probe answers `ca-helper doctor`'s questions with one loaded AWS
// configuration: which credentials, region and endpoint the SDK would use, and
// the two API calls. Credentials are resolved once however many checks ask.
type Probe struct {
	r      Request
	cfg    aws.Config
	ca     *codeartifact.Client
	client *Client // Token and Endpoint of fetch.go, over ca
}

// Credentials describes what the SDK's credential chain found, never the
// secret parts.
type Credentials struct {
	Source      string // env, profile, assumed role, SSO, web identity, container, EC2 instance profile, …
	Provider    string // the SDK's own name, e.g. EnvConfigCredentials
	File        string // the shared credentials/config file, for Source "profile"
	AccessKeyID string
	Session     bool // temporary credentials (a session token is present)
	CanExpire   bool
	Expires     time.Time
}

// ServiceEndpoint is where the SDK would send CodeArtifact API calls.
type ServiceEndpoint struct {
	URL    string
	Source string // "default", "env AWS_ENDPOINT_URL_CODEARTIFACT", "env AWS_ENDPOINT_URL" or "AWS config"
}

// NewProbe loads the AWS configuration for r as sdkAPI does. A missing region
// is not an error here.
func NewProbe(ctx context.Context, r Request) (*Probe, error) {
	p := &Probe{r: r}
	cfg, err := loadConfig(ctx, r, 2)
	if err != nil {
		return nil, loadError(err, r)
	}
	p.cfg, p.ca = cfg, codeartifact.NewFromConfig(cfg)
	p.client = &Client{newAPI: func(ctx context.Context, r Request) (api, error) {
		if p.cfg.Region == "" {
			return nil, classify("load AWS config", &aws.MissingRegionError{}, r)
		}
		if _, err := p.Credentials(ctx); err != nil {
			return nil, err
		}
		return p.ca, nil
	}}
	return p, nil
}

// Region is the region the SDK will use: r.Region, else the environment's or
// the profile's; "" when none is set.
func (p *Probe) Region() string { return p.cfg.Region }

// Credentials resolves the credential chain (once; later calls are served
// from the SDK's cache) and describes the result.
func (p *Probe) Credentials(ctx context.Context) (Credentials, error) {
	if p.cfg.Credentials == nil {
		return Credentials{}, credentialsError(errors.New("no credential provider configured"), p.r)
	}
	c, err := p.cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return Credentials{}, credentialsError(err, p.r)
	}
	name, file := sourceName(c.Source)
	return Credentials{
		Source: name, Provider: c.Source, File: file, AccessKeyID: c.AccessKeyID,
		Session: c.SessionToken != "", CanExpire: c.CanExpire, Expires: c.Expires,
	}, nil
}

// sourceName maps the SDK's provider names to the words users know.
func sourceName(provider string) (name, file string) {
	if f, ok := strings.CutPrefix(provider, "SharedConfigCredentials"); ok {
		return "profile", strings.TrimSpace(strings.TrimPrefix(f, ":"))
	}
	names := map[string]string{
		config.CredentialsSourceName:  "env", // EnvConfigCredentials
		"AssumeRoleProvider":          "assumed role",
		"SSOProvider":                 "SSO",
		"WebIdentityCredentials":      "web identity",
		"CredentialsEndpointProvider": "container",
		"EC2RoleProvider":             "EC2 instance profile",
		"ProcessProvider":             "credential process",
		"LoginProvider":               "console login",
		"StaticCredentials":           "static",
		"":                            "unknown",
	}
	if n, ok := names[provider]; ok {
		return n, ""
	}
	return provider, ""
}

// ServiceEndpoint resolves the CodeArtifact API endpoint exactly as the client
// will: AWS_ENDPOINT_URL_CODEARTIFACT, AWS_ENDPOINT_URL, the profile's
// endpoint_url, else the regional default.
func (p *Probe) ServiceEndpoint(ctx context.Context) (ServiceEndpoint, error) {
	o := p.ca.Options()
	if o.Region == "" && o.BaseEndpoint == nil {
		return ServiceEndpoint{}, classify("resolve endpoint", &aws.MissingRegionError{}, p.r)
	}
	params := codeartifact.EndpointParameters{
		Endpoint:     o.BaseEndpoint,
		UseFIPS:      aws.Bool(o.EndpointOptions.UseFIPSEndpoint == aws.FIPSEndpointStateEnabled),
		UseDualStack: aws.Bool(o.EndpointOptions.UseDualStackEndpoint == aws.DualStackEndpointStateEnabled),
	}
	if o.Region != "" {
		params.Region = aws.String(o.Region)
	}
	ep, err := o.EndpointResolverV2.ResolveEndpoint(ctx, params)
	if err != nil {
		e := mk(failure.Usage, "bad endpoint", "check --region and AWS_ENDPOINT_URL_CODEARTIFACT / AWS_ENDPOINT_URL", err)
		e.op = "resolve the CodeArtifact endpoint"
		return ServiceEndpoint{}, e
	}
	return ServiceEndpoint{URL: ep.URI.String(), Source: endpointSource(o.BaseEndpoint)}, nil
}

// endpointSource names where an endpoint override came from.
func endpointSource(base *string) string {
	switch {
	case base == nil:
		return "default"
	case os.Getenv("AWS_ENDPOINT_URL_CODEARTIFACT") == *base:
		return "env AWS_ENDPOINT_URL_CODEARTIFACT"
	case os.Getenv("AWS_ENDPOINT_URL") == *base:
		return "env AWS_ENDPOINT_URL"
	}
	return "AWS config"
}

// Token calls GetAuthorizationToken for d. Probe keeps no copy of the token.
func (p *Probe) Token(ctx context.Context, d time.Duration) (Token, error) {
	r := p.r
	r.Duration = d
	return p.client.Token(ctx, r)
}

// RepositoryEndpoint calls GetRepositoryEndpoint for repo in format.
func (p *Probe) RepositoryEndpoint(ctx context.Context, repo, format string) (string, error) {
	return p.client.Endpoint(ctx, p.r, repo, format)
}
