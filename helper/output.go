package helper

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ca-helper/ca-helper/helper/names"
	"github.com/ca-helper/ca-helper/keyring"
)

// output prints a token in the format a caller asked for.
type output struct {
	format, shell, envVar string
}

func (o output) check() error {
	switch {
	case o.format != "token" && o.format != "json" && o.format != "env":
		return usageErr("use --format token, json or env", "invalid format %q", printable(o.format))
	case o.shell != "sh" && o.shell != "fish" && o.shell != "powershell":
		return usageErr("use --shell sh, fish or powershell", "invalid shell %q", printable(o.shell))
	case !names.EnvVar(o.envVar):
		return usageErr("use a name such as CODEARTIFACT_AUTH_TOKEN", "invalid environment variable name %q", printable(o.envVar))
	}
	return nil
}

// jsonToken is the --format json document.
type jsonToken struct {
	Token      string     `json:"token"`
	Expiration string     `json:"expiration"`
	Target     jsonTarget `json:"target"`
}

type jsonTarget struct {
	Domain     string `json:"domain"`
	Owner      string `json:"domain_owner,omitempty"`
	Region     string `json:"region,omitempty"`
	Profile    string `json:"profile,omitempty"`
	Repository string `json:"repository,omitempty"`
	Name       string `json:"name,omitempty"`
}

func (o output) write(w io.Writer, e keyring.Entry, t Target) error {
	tok := e.Token.Reveal()
	var s string
	switch o.format {
	case "json":
		b, err := json.Marshal(jsonToken{Token: tok, Expiration: e.Expiration.UTC().Format(time.RFC3339),
			Target: jsonTarget{t.Domain, t.Owner, t.Region, t.Profile, t.Repository, t.Name}})
		if err != nil {
			return fmt.Errorf("encode json: %w", err)
		}
		s = string(b) + "\n"
	case "env":
		s = exportLine(o.shell, o.envVar, tok)
	default:
		s = tok + "\n"
	}
	_, err := io.WriteString(w, s)
	return err
}

// exportLine is safe for eval: the token is single-quoted for each shell.
func exportLine(shell, name, value string) string {
	switch shell {
	case "fish":
		return fmt.Sprintf("set -gx %s '%s';\n", name, strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(value))
	case "powershell":
		return fmt.Sprintf("$env:%s = '%s'\n", name, strings.ReplaceAll(value, "'", "''"))
	}
	return fmt.Sprintf("export %s='%s'\n", name, strings.ReplaceAll(value, "'", `'\''`))
}
