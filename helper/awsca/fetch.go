// Package awsca talks to AWS CodeArtifact through the AWS SDK for Go v2. It is the
// only package that loads AWS configuration or resolves credentials, so the cached
// path of ca-helper never reaches it.
package awsca

import (
	"context"
	"io"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/codeartifact"
	"github.com/aws/aws-sdk-go-v2/service/codeartifact/types"

	"github.com/ca-helper/ca-helper/helper/awsproc"
	"github.com/ca-helper/ca-helper/keyring"
)

// Request and Token are the types ca-helper and ca-helper-aws exchange.
type (
	Request = awsproc.Request
	Token   = awsproc.Token
)

// api is the part of the CodeArtifact client this package uses.
type api interface {
	GetAuthorizationToken(context.Context, *codeartifact.GetAuthorizationTokenInput, ...func(*codeartifact.Options)) (*codeartifact.GetAuthorizationTokenOutput, error)
	GetRepositoryEndpoint(context.Context, *codeartifact.GetRepositoryEndpointInput, ...func(*codeartifact.Options)) (*codeartifact.GetRepositoryEndpointOutput, error)
}

var _ api = (*codeartifact.Client)(nil)

// Client fetches tokens and endpoints, and tells the caller's account. New
// builds one on the SDK; tests set newAPI and newSTS.
type Client struct {
	newAPI func(ctx context.Context, r Request) (api, error)
	newSTS func(ctx context.Context, r Request) (stsAPI, error)
	// DebugLog receives the SDK's log lines for a request that asks for
	// them (Request.Debug); nil, or a request without, drops them.
	DebugLog io.Writer
}

// New returns a client backed by the SDK default chain (env, shared config, SSO,
// web identity, ECS, EC2 IMDS) and its endpoint overrides.
func New() *Client { return &Client{newAPI: sdkAPI, newSTS: sdkSTS} }

// imdsRequestTimeout bounds one request to the EC2 metadata service. A real IMDS
// answers in milliseconds; a laptop has none, and the SDK's default client (3–4
// attempts with backoff, then the IMDSv1 fallback) spends 4–5 s finding that out.
const imdsRequestTimeout = 400 * time.Millisecond

// loadConfig loads the SDK's default configuration for r. The instance-role
// client is built from the loaded config on first use, so IMDS endpoint, endpoint
// mode and v1 settings apply as usual, but with one attempt per request: a
// missing IMDS costs at most 2 × imdsRequestTimeout (token, then v1 fallback).
func loadConfig(ctx context.Context, r Request, attempts int) (aws.Config, error) {
	var cfg aws.Config
	fastIMDS := sync.OnceValue(func() *imds.Client {
		return imds.NewFromConfig(cfg, func(o *imds.Options) {
			o.Retryer = retry.AddWithMaxAttempts(retry.NewStandard(), 1)
			o.HTTPClient = awshttp.NewBuildableClient().WithTimeout(imdsRequestTimeout)
		})
	})
	opts := []func(*config.LoadOptions) error{
		config.WithLogger(sdkLogger(ctx)),
		config.WithRetryMaxAttempts(attempts),
		config.WithEC2RoleCredentialOptions(func(o *ec2rolecreds.Options) { o.Client = lazyIMDS(fastIMDS) }),
	}
	if r.Region != "" {
		opts = append(opts, config.WithRegion(r.Region))
	}
	if r.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(r.Profile))
	}
	var err error
	cfg, err = config.LoadDefaultConfig(ctx, opts...)
	return cfg, err
}

func sdkAPI(ctx context.Context, r Request) (api, error) {
	cfg, err := sdkConfig(ctx, r)
	if err != nil {
		return nil, err
	}
	return codeartifact.NewFromConfig(cfg), nil
}

// sdkConfig is the SDK configuration for r, with a region and credentials
// that resolve.
func sdkConfig(ctx context.Context, r Request) (aws.Config, error) {
	cfg, err := loadConfig(ctx, r, 4)
	if err != nil {
		return cfg, loadError(err, r)
	}
	if cfg.Region == "" {
		return cfg, classify("load AWS config", &aws.MissingRegionError{}, r)
	}
	if err := checkConfigRegion(cfg.Region, r); err != nil {
		return cfg, err
	}
	// Resolve credentials here, so a failure is known to be about credentials
	// rather than guessed from the text of a signing error.
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		return cfg, credentialsError(err, r)
	}
	return cfg, nil
}

// lazyIMDS is the metadata client ec2rolecreds asks, created when first asked.
type lazyIMDS func() *imds.Client

func (l lazyIMDS) GetMetadata(ctx context.Context, in *imds.GetMetadataInput, fns ...func(*imds.Options)) (*imds.GetMetadataOutput, error) {
	return l().GetMetadata(ctx, in, fns...)
}

// Token calls GetAuthorizationToken for r.Domain.
func (c *Client) Token(ctx context.Context, r Request) (Token, error) {
	cl, err := c.newAPI(ctx, r)
	if err != nil {
		return Token{}, err
	}
	in := &codeartifact.GetAuthorizationTokenInput{
		Domain:          aws.String(r.Domain),
		DurationSeconds: aws.Int64(int64(r.Duration / time.Second)),
	}
	if r.Owner != "" {
		in.DomainOwner = aws.String(r.Owner)
	}
	out, err := cl.GetAuthorizationToken(ctx, in)
	if err != nil {
		return Token{}, classify("get authorization token for domain "+r.Domain, err, r)
	}
	t := Token{Value: keyring.Token(aws.ToString(out.AuthorizationToken))}
	if out.Expiration != nil {
		t.Expiration = *out.Expiration
	}
	return t, nil
}

// Endpoint calls GetRepositoryEndpoint for repo in the given package format,
// of r.EndpointType when set.
func (c *Client) Endpoint(ctx context.Context, r Request, repo, format string) (string, error) {
	cl, err := c.newAPI(ctx, r)
	if err != nil {
		return "", err
	}
	in := &codeartifact.GetRepositoryEndpointInput{
		Domain:     aws.String(r.Domain),
		Repository: aws.String(repo),
		Format:     types.PackageFormat(format),
	}
	if r.Owner != "" {
		in.DomainOwner = aws.String(r.Owner)
	}
	if r.EndpointType != "" {
		in.EndpointType = types.EndpointType(r.EndpointType)
	}
	out, err := cl.GetRepositoryEndpoint(ctx, in)
	if err != nil {
		return "", classify("get endpoint of repository "+repo, err, r)
	}
	return aws.ToString(out.RepositoryEndpoint), nil
}
