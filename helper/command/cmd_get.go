package command

import (
	"context"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/helper/tokens"
	"github.com/ca-helper/ca-helper/keyring"
)

func getCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "get",
		Usage:     "print a token valid for at least --min-ttl (stdout: the token and a newline)",
		UsageText: "ca-helper get [--domain D --domain-owner O --region R | --url URL | --target NAME] [options]",
		Flags: append(append(targetFlags(), tokenFlags()...),
			&cli.StringFlag{Name: "format", Value: "token", Usage: "token, json or env"},
			&cli.StringFlag{Name: "shell", Value: "sh", Usage: "for --format env: sh, fish or powershell"},
			&cli.StringFlag{Name: "env-var", Value: "CODEARTIFACT_AUTH_TOKEN", Usage: "variable name for --format env"},
			&cli.BoolFlag{Name: "refresh", Usage: "fetch a new token now and cache it"},
			&cli.BoolFlag{Name: "no-cache", Usage: "neither read nor write the cache"},
		),
		Action: func(c *cli.Context) error {
			format := output{format: c.String("format"), shell: c.String("shell"), envVar: c.String("env-var")}
			if err := format.check(); err != nil {
				return err
			}
			t, o, err := e.resolve(c)
			if err != nil {
				return err
			}
			if c.Bool("no-cache") {
				o.Cache = "none"
			}
			entry, err := e.token(c.Context, t, o, c.Bool("refresh"))
			if err != nil {
				return err
			}
			return format.write(e.stdout, entry, t)
		},
	}
}

// token runs the token service for one target, or reads CA_HELPER_TOKEN_FILE.
func (e *env) token(ctx context.Context, t target.Target, o target.Options, refresh bool) (keyring.Entry, error) {
	if path := e.getenv("CA_HELPER_TOKEN_FILE"); path != "" {
		e.debugf("token from CA_HELPER_TOKEN_FILE %s", path)
		return tokens.ReadFile(path, t, o.MinTTL, e.now(), e.warn)
	}
	svc, err := e.service(o)
	if err != nil {
		return keyring.Entry{}, err
	}
	return svc.Get(ctx, t, o, refresh)
}

// service wires the store for o.Cache with the real fetcher. Nothing here loads
// AWS config: the fetcher does that only when it is called.
func (e *env) service(o target.Options) (*tokens.Service, error) {
	dir, err := keyring.DefaultDir(e.getenv)
	if err != nil {
		return nil, failure.Wrap(failure.Runtime, "set CA_HELPER_CACHE_DIR or XDG_RUNTIME_DIR", fmt.Errorf("find cache dir: %w", err))
	}
	store, err := keyring.Open(o.Cache, keyring.Options{Dir: dir, Report: func(ev keyring.Event) { e.warn(ev.String()) }})
	if err != nil {
		return nil, failure.Wrap(failure.Runtime, "use --cache file or --cache none", fmt.Errorf("open %s cache: %w", o.Cache, err))
	}
	lockDir := dir
	if o.Cache == "none" {
		lockDir = ""
	}
	return &tokens.Service{
		Store: store, LockDir: lockDir, Fetcher: tokens.AWSFetcher{AWS: e.aws, Timeout: o.Timeout},
		Now: e.now, Getenv: e.getenv, Warn: e.warn, Debugf: e.debugf,
	}, nil
}
