package setupcmd

import (
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/tools"
)

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
			url, err := e.LookupEndpoint(c.Context, q, e.AWS)
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
func readEndpointQuery(e *cmdenv.Env, c *cli.Context, format string) (cmdenv.EndpointQuery, error) {
	if format == "" {
		return cmdenv.EndpointQuery{}, failure.Usagef("pass --package-format "+strings.Join(tools.Formats, "|"), "no package format given")
	}
	if !slices.Contains(tools.Formats, format) {
		return cmdenv.EndpointQuery{}, failure.Usagef("use one of "+strings.Join(tools.Formats, ", "), "unknown package format %q", failure.Printable(format))
	}
	kind, err := readEndpointType(c)
	if err != nil {
		return cmdenv.EndpointQuery{}, err
	}
	t, o, err := e.Resolve(c)
	if err != nil {
		return cmdenv.EndpointQuery{}, err
	}
	if t.Repository == "" {
		return cmdenv.EndpointQuery{}, errNoRepository()
	}
	return cmdenv.EndpointQuery{Target: t, Timeout: o.Timeout, Format: format, EndpointType: kind}, nil
}

// readEndpointType is --endpoint-type, checked: "" (the service's
// default), ipv4 or dualstack.
func readEndpointType(c *cli.Context) (string, error) {
	kind := c.String("endpoint-type")
	if kind != "" && kind != "ipv4" && kind != "dualstack" {
		return "", failure.Usagef("use --endpoint-type ipv4 or dualstack", "invalid endpoint type %q", failure.Printable(kind))
	}
	return kind, nil
}

func errNoRepository() error {
	return failure.Usagef("pass --repository NAME or a repository --url, set CODEARTIFACT_REPOSITORY, or add repository to the config target",
		"no repository given")
}
