package setupcmd

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/interrupt"
	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/helper/tokens"
	"github.com/ca-helper/ca-helper/helper/tools"
)

// endpointQuery is one GetRepositoryEndpoint call: which repository, in
// which package format, of which endpoint type ("" for the default).
type endpointQuery struct {
	target       target.Target
	timeout      time.Duration
	format       string
	endpointType string
}

// lookupEndpoint asks AWS for the repository's endpoint, within the
// command's deadline; settings, setup and endpoint all ask through it.
func lookupEndpoint(e *cmdenv.Env, ctx context.Context, q endpointQuery, api endpointAPI) (string, error) {
	e.Debugf("looking up the %s endpoint of repository %s in %s", q.format, q.target.Repository, q.target)
	ctx, cancel := context.WithTimeout(ctx, q.timeout)
	defer cancel()
	interrupt.Catch(ctx)
	r := tokens.Request(q.target, 0, q.timeout)
	r.EndpointType = q.endpointType
	return api.Endpoint(ctx, r, q.target.Repository, q.format)
}

// Endpoint is `ca-helper endpoint`: the repository's URL for a package
// format, as GetRepositoryEndpoint gives it, for scripts and for tools
// setup does not write the config of.
func Endpoint(e *cmdenv.Env) *cli.Command {
	return &cli.Command{
		Name:  "endpoint",
		Usage: "print the repository's endpoint URL for a package format (GetRepositoryEndpoint)",
		UsageText: "ca-helper endpoint --package-format " + strings.Join(tools.Formats, "|") +
			" --repository REPO [target options] [--endpoint-type ipv4|dualstack]",
		Flags: append(append(cmdenv.TargetFlags(), cmdenv.TimeoutFlag()),
			&cli.StringFlag{Name: "package-format", Usage: "package format of the endpoint: " + strings.Join(tools.Formats, ", ")},
			endpointTypeFlag()),
		Action: func(c *cli.Context) error {
			q, err := readEndpointQuery(e, c, c.String("package-format"))
			if err != nil {
				return err
			}
			url, err := lookupEndpoint(e, c.Context, q, e.AWS)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(e.Stdout, url)
			return err
		},
	}
}

func endpointTypeFlag() cli.Flag {
	return &cli.StringFlag{Name: "endpoint-type", Usage: "ipv4 or dualstack (default: the service's, ipv4)"}
}

// readEndpointQuery resolves the target and checks the format, the
// repository and --endpoint-type, before any network call.
func readEndpointQuery(e *cmdenv.Env, c *cli.Context, format string) (endpointQuery, error) {
	if format == "" {
		return endpointQuery{}, failure.Usagef("pass --package-format "+strings.Join(tools.Formats, "|"), "no package format given")
	}
	if !slices.Contains(tools.Formats, format) {
		return endpointQuery{}, failure.Usagef("use one of "+strings.Join(tools.Formats, ", "), "unknown package format %q", failure.Printable(format))
	}
	kind := c.String("endpoint-type")
	if kind != "" && kind != "ipv4" && kind != "dualstack" {
		return endpointQuery{}, failure.Usagef("use --endpoint-type ipv4 or dualstack", "invalid endpoint type %q", failure.Printable(kind))
	}
	t, o, err := e.Resolve(c)
	if err != nil {
		return endpointQuery{}, err
	}
	if t.Repository == "" {
		return endpointQuery{}, errNoRepository()
	}
	return endpointQuery{target: t, timeout: o.Timeout, format: format, endpointType: kind}, nil
}

func errNoRepository() error {
	return failure.Usagef("pass --repository NAME or a repository --url, set CODEARTIFACT_REPOSITORY, or add repository to the config target",
		"no repository given")
}
