package tokens

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/names"
	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/keyring"
)

// Output prints a token in the format a caller asked for: token (the token
// and a newline), json (Document) or env (an export line for Shell).
type Output struct {
	Format, Shell, EnvVar string
}

// Check refuses a format, shell or variable name it cannot print.
func (o Output) Check() error {
	switch {
	case o.Format != "token" && o.Format != "json" && o.Format != "env":
		return failure.Usagef("use --format token, json or env", "invalid format %q", failure.Printable(o.Format))
	case !slices.Contains(Shells, o.Shell):
		return failure.Usagef("use --shell "+strings.Join(Shells, ", "), "invalid shell %q", failure.Printable(o.Shell))
	case !names.EnvVar(o.EnvVar):
		return failure.Usagef("use a name such as CODEARTIFACT_AUTH_TOKEN", "invalid environment variable name %q", failure.Printable(o.EnvVar))
	}
	return nil
}

// Write prints e, the token for t. This is where a token leaves ca-helper.
func (o Output) Write(w io.Writer, e keyring.Entry, t target.Target) error {
	tok := e.Token.Reveal()
	var s string
	switch o.Format {
	case "json":
		b, err := json.Marshal(NewDocument(e, t))
		if err != nil {
			return fmt.Errorf("encode json: %w", err)
		}
		s = string(b) + "\n"
	case "env":
		s = exportLine(o.Shell, o.EnvVar, tok)
	default:
		s = tok + "\n"
	}
	_, err := io.WriteString(w, s)
	return err
}

// exportLine is safe for eval: the token is single-quoted for each shell.
// Shells are the shells --format env writes for; bash and zsh take sh's line.
var Shells = []string{"sh", "bash", "zsh", "fish", "powershell"}

func exportLine(shell, name, value string) string {
	switch shell {
	case "fish":
		return fmt.Sprintf("set -gx %s '%s';\n", name, strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(value))
	case "powershell":
		return fmt.Sprintf("$env:%s = '%s'\n", name, strings.ReplaceAll(value, "'", "''"))
	}
	return fmt.Sprintf("export %s='%s'\n", name, strings.ReplaceAll(value, "'", `'\''`))
}
