// Package tools is the table of package managers that `ca-helper setup`
// configures and `ca-helper exec` recognises, besides Maven (package maven).
// A tool is one row: the package format of its repository endpoint, the
// commands it is run as, the environment exec gives it and, when setup
// handles it, the config file setup merges the registry into.
package tools

import (
	"path"
	"slices"
	"strings"
)

// Formats are the package formats GetRepositoryEndpoint knows.
var Formats = []string{"cargo", "generic", "maven", "npm", "nuget", "pypi", "ruby", "swift"}

// Vars is what exec knows when it builds a tool's environment.
type Vars struct {
	Token    string // the token itself: it goes into the environment only
	EnvVar   string // the variable the tool's config refers to (exec --env-var)
	Endpoint string // the repository's endpoint in the tool's format, for a tool that NeedsEndpoint
	Name     string // the repository's name: uv's index, Poetry's source, for a tool that NeedsRepository
}

// Registry is the repository setup writes into a tool's config.
type Registry struct {
	Endpoint string // GetRepositoryEndpoint's URL, ending in /
	Scope    string // npm: "@scope" for a scoped registry, "" for the default one
	Name     string // cargo: [registries.NAME]; uv: the index; Poetry: the source; twine: the .pypirc section
	EnvVar   string // the variable the config refers to instead of the token
	// Keyring: pip and uv ask a keyring backend for the password (user aws
	// in the index URL, keyring-provider = subprocess) instead of exec's
	// variables; without it setup writes the plain form back.
	Keyring bool
}

// ConfigFile is a tool's own config file, as setup writes it.
type ConfigFile interface {
	// Path is the file: the user's in home, or the project's in project
	// when project is not "" ("" for a tool with no project file).
	Path(home, project string) string
	// Merge returns existing with the lines for r, every other line kept
	// byte for byte, and what changed. existing is nil for a new file. It
	// returns an error wrapping ErrMalformed for a file it will not touch.
	Merge(existing []byte, r Registry) ([]byte, Report, error)
}

// Report is what a Merge changed, fit to print: a replaced token is never
// in it.
type Report struct {
	Changes []Change
	// LiteralToken: a managed line held a token itself (from `aws
	// codeartifact login`, or pasted), which the merge replaced.
	LiteralToken bool
}

// Change is one managed line: Old "" when it was added, New "" when it was
// removed (a duplicate).
type Change struct{ Old, New string }

// Tool is one package manager.
type Tool struct {
	Name     string
	Format   string   // the package format of its repository endpoint
	Commands []string // the command names exec infers the tool from
	// Env is the KEY=VALUE entries exec adds to the command's environment.
	Env func(v Vars) ([]string, error)
	// NeedsEndpoint: exec looks the repository's endpoint up for Env
	// (one AWS call per run), so the target must name a repository.
	NeedsEndpoint bool
	// NeedsRepository: Env names the repository (Vars.Name), so the
	// target must name one.
	NeedsRepository bool
	// Config is what setup writes; nil while setup does not handle the tool.
	Config ConfigFile
}

// table is every tool, by name.
var table = []Tool{
	{Name: "cargo", Format: "cargo", Env: tokenVar, Config: cargoConfig{}}, // plain cargo runs ca-helper as its credential provider
	{Name: "npm", Format: "npm", Commands: []string{"npm", "npx"}, Env: tokenVar, Config: npmrc{}},
	{Name: "pnpm", Format: "npm", Commands: []string{"pnpm", "pnpx"}, Env: tokenVar, Config: npmrc{}}, // pnpm reads .npmrc
	{Name: "pip", Format: "pypi", Commands: []string{"pip", "pip3"}, Env: pipIndex, NeedsEndpoint: true, Config: pipConf{}},
	{Name: "poetry", Format: "pypi", Commands: []string{"poetry"}, Env: poetryEnv, NeedsEndpoint: true, NeedsRepository: true,
		Config: poetrySource{}},
	{Name: "twine", Format: "pypi", Commands: []string{"twine"}, Env: twineEnv, NeedsEndpoint: true, Config: pypirc{}},
	{Name: "uv", Format: "pypi", Commands: []string{"uv", "uvx"}, Env: uvEnv, NeedsRepository: true, Config: uvConfig{}},
	{Name: "yarn", Format: "npm", Commands: []string{"yarn", "yarnpkg"}, Env: tokenVar, Config: yarnrc{}}, // Yarn 2+ reads .yarnrc.yml, not .npmrc
}

// tokenVar gives the token in the variable the tool's config refers to:
// npm reads ${VAR} in .npmrc, Yarn in .yarnrc.yml, from its environment
// when it runs.
func tokenVar(v Vars) ([]string, error) { return []string{v.EnvVar + "=" + v.Token}, nil }

// VarNames are the names of KEY=VALUE entries (an Env's), for a message.
func VarNames(env []string) []string {
	keys := make([]string, len(env))
	for i, kv := range env {
		keys[i], _, _ = strings.Cut(kv, "=")
	}
	return keys
}

// Lookup returns the tool called name.
func Lookup(name string) (Tool, bool) {
	i := slices.IndexFunc(table, func(t Tool) bool { return t.Name == name })
	if i < 0 {
		return Tool{}, false
	}
	return table[i], true
}

// ForCommand returns the tool that command (a name or a path, as given to
// exec) runs, by its base name without .exe, .cmd or .bat.
func ForCommand(command string) (Tool, bool) {
	base := path.Base(strings.ReplaceAll(command, `\`, "/"))
	for _, ext := range []string{".exe", ".cmd", ".bat"} {
		if strings.HasSuffix(strings.ToLower(base), ext) {
			base = base[:len(base)-len(ext)]
		}
	}
	for _, t := range table {
		if slices.Contains(t.Commands, base) {
			return t, true
		}
	}
	return Tool{}, false
}

// Names lists the tools; withConfig keeps only those setup handles.
func Names(withConfig bool) []string {
	var names []string
	for _, t := range table {
		if !withConfig || t.Config != nil {
			names = append(names, t.Name)
		}
	}
	return names
}
