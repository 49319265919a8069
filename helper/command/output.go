package command

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/names"
	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/helper/tokens"
	"github.com/ca-helper/ca-helper/keyring"
)

// output prints a token in the format a caller asked for.
type output struct {
	format, shell, envVar string
}

func (o output) check() error {
	switch {
	case o.format != "token" && o.format != "json" && o.format != "env":
		return failure.Usagef("use --format token, json or env", "invalid format %q", failure.Printable(o.format))
	case o.shell != "sh" && o.shell != "fish" && o.shell != "powershell":
		return failure.Usagef("use --shell sh, fish or powershell", "invalid shell %q", failure.Printable(o.shell))
	case !names.EnvVar(o.envVar):
		return failure.Usagef("use a name such as CODEARTIFACT_AUTH_TOKEN", "invalid environment variable name %q", failure.Printable(o.envVar))
	}
	return nil
}

func (o output) write(w io.Writer, e keyring.Entry, t target.Target) error {
	tok := e.Token.Reveal()
	var s string
	switch o.format {
	case "json":
		b, err := json.Marshal(tokens.NewDocument(e, t))
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
