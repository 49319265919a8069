package setupcmd

import (
	"encoding/json"

	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
	"github.com/ca-helper/ca-helper/helper/maven"
)

// dryRunJSON is `settings --dry-run --format json`: what a real run would
// write. The settings refer to the token's variable; no token is in them.
type dryRunJSON struct {
	SettingsFile    string `json:"settings_file"`
	ServerID        string `json:"server_id"`
	URL             string `json:"url"`
	EnvVar          string `json:"env_var"`
	Settings        string `json:"settings"`         // the whole resulting settings.xml
	LiteralPassword bool   `json:"literal_password"` // a real run replaces the server's literal password
	ExtensionsFile  string `json:"extensions_file,omitempty"`
	Extensions      string `json:"extensions,omitempty"` // the resulting .mvn/extensions.xml, with --extension
}

func writeDryRunJSON(e *cmdenv.Env, in settingsInput, s maven.Server, out []byte, literal bool) error {
	doc := dryRunJSON{SettingsFile: in.path, ServerID: s.ID, URL: s.URL, EnvVar: s.EnvVar,
		Settings: string(out), LiteralPassword: literal}
	if in.extensionsPath != "" {
		doc.ExtensionsFile, doc.Extensions = in.extensionsPath, string(in.extensions)
	}
	return json.NewEncoder(e.Stdout).Encode(doc)
}
