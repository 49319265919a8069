package tools

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

const (
	npmEndpoint = "https://my-domain-111122223333.d.codeartifact.eu-west-1.amazonaws.com/npm/releases/"
	npmNerf     = "//my-domain-111122223333.d.codeartifact.eu-west-1.amazonaws.com/npm/releases/"
	npmAuth     = npmNerf + ":_authToken=${CODEARTIFACT_AUTH_TOKEN}"
	npmToken    = "eyJ2ZXIiOjEsImlzdSI6MTcwMDAwMDAwMH0.literal-token-value"
)

func TestNpmrcMerge(t *testing.T) {
	reg := Registry{Endpoint: npmEndpoint, EnvVar: "CODEARTIFACT_AUTH_TOKEN"}
	scoped := reg
	scoped.Scope = "@my-org"
	tests := []struct {
		name     string
		r        Registry
		existing string // "<nil>": no file
		want     string
		changes  int
		literal  bool
	}{
		{name: "new file", r: reg, existing: "<nil>",
			want: "registry=" + npmEndpoint + "\n" + npmAuth + "\n", changes: 2},
		{name: "empty file", r: reg, existing: "",
			want: "registry=" + npmEndpoint + "\n" + npmAuth + "\n", changes: 2},
		{name: "comments and other registries kept byte for byte", r: reg,
			existing: "; my settings\n# another comment\nsave-exact = true\n//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n@other:registry=https://npm.example/\n",
			want: "; my settings\n# another comment\nsave-exact = true\n//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n@other:registry=https://npm.example/\n" +
				"registry=" + npmEndpoint + "\n" + npmAuth + "\n", changes: 2},
		{name: "default registry replaced in place", r: reg,
			existing: "# top\nregistry=https://registry.npmjs.org/\nfund=false\n",
			want:     "# top\nregistry=" + npmEndpoint + "\nfund=false\n" + npmAuth + "\n", changes: 2},
		{name: "scoped registry leaves the default one", r: scoped,
			existing: "registry=https://registry.npmjs.org/\n",
			want:     "registry=https://registry.npmjs.org/\n@my-org:registry=" + npmEndpoint + "\n" + npmAuth + "\n", changes: 2},
		{name: "literal token from aws codeartifact login replaced", r: reg,
			existing: "registry=" + npmEndpoint + "\n" + npmNerf + ":_authToken=" + npmToken + "\n",
			want:     "registry=" + npmEndpoint + "\n" + npmAuth + "\n", changes: 1, literal: true},
		{name: "quoted literal token replaced", r: reg,
			existing: npmNerf + `:_authToken="` + npmToken + `"` + "\nregistry=" + npmEndpoint + "\n",
			want:     npmAuth + "\nregistry=" + npmEndpoint + "\n", changes: 1, literal: true},
		{name: "already set up: identical", r: reg,
			existing: "a=1\r\nregistry = " + npmEndpoint + "\n" + npmAuth + "\n# end",
			want:     "a=1\r\nregistry = " + npmEndpoint + "\n" + npmAuth + "\n# end"},
		{name: "duplicates dropped, npm would take the last", r: reg,
			existing: "registry=https://a.example/\nregistry=" + npmEndpoint + "\n" + npmAuth + "\n",
			want:     "registry=" + npmEndpoint + "\n" + npmAuth + "\n", changes: 2},
		{name: "CRLF file gets CRLF lines, last line without newline", r: reg,
			existing: "a=1\r\nb=2",
			want:     "a=1\r\nb=2\r\nregistry=" + npmEndpoint + "\r\n" + npmAuth + "\r\n", changes: 2},
		{name: "keys in a section are not top-level", r: reg,
			existing: "a=1\n[section]\nregistry=https://x.example/\n",
			want:     "a=1\nregistry=" + npmEndpoint + "\n" + npmAuth + "\n[section]\nregistry=https://x.example/\n", changes: 2},
		{name: "other variable replaced", r: reg,
			existing: "registry=" + npmEndpoint + "\n" + npmNerf + ":_authToken=${OTHER}\n",
			want:     "registry=" + npmEndpoint + "\n" + npmAuth + "\n", changes: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkMerge(t, npmrc{}, existingFile(tt.existing), tt.r, tt.want, tt.changes, tt.literal, npmToken)
		})
	}
}

func TestNpmrcMergeRefuses(t *testing.T) {
	reg := Registry{Endpoint: npmEndpoint, EnvVar: "CODEARTIFACT_AUTH_TOKEN"}
	with := func(f func(*Registry)) Registry { r := reg; f(&r); return r }
	tests := []struct {
		name      string
		existing  string
		r         Registry
		malformed bool
	}{
		{"NUL byte", "registry=x\x00\n", reg, true},
		{"not UTF-8", "registry=\xff\xfe\n", reg, true},
		{"over 1 MiB", strings.Repeat("#", MaxConfigSize+1), reg, true},
		{"endpoint with a newline", "", with(func(r *Registry) { r.Endpoint = npmEndpoint + "\nx=1/" }), false},
		{"endpoint not https", "", with(func(r *Registry) { r.Endpoint = "ftp://h/npm/r/" }), false},
		{"endpoint with userinfo", "", with(func(r *Registry) { r.Endpoint = "https://u:p@h/npm/r/" }), false},
		{"endpoint without /", "", with(func(r *Registry) { r.Endpoint = "https://h/npm/r" }), false},
		{"scope without @", "", with(func(r *Registry) { r.Scope = "my-org" }), false},
		{"scope in capitals", "", with(func(r *Registry) { r.Scope = "@MyOrg" }), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := npmrc{}.Merge([]byte(tt.existing), tt.r)
			if err == nil || out != nil || errors.Is(err, ErrMalformed) != tt.malformed {
				t.Errorf("Merge = %q, %v; want an error, malformed %v", out, err, tt.malformed)
			}
		})
	}
}

func TestToolTable(t *testing.T) {
	for _, tt := range []struct {
		command, want string
	}{
		{"npm", "npm"}, {"npx", "npm"}, {"/usr/bin/npm", "npm"}, {`C:\node\npm.cmd`, "npm"}, {"NPX.EXE", ""},
		{"pnpm", "pnpm"}, {"pnpx", "pnpm"}, {"/usr/local/bin/pnpm", "pnpm"}, {`C:\pnpm\pnpm.exe`, "pnpm"},
		{"yarn", "yarn"}, {"yarnpkg", "yarn"}, {`C:\yarn\yarn.cmd`, "yarn"},
		{"mvn", ""}, {"npm-run", ""}, {"pnpm-run", ""}, {"yarn-run", ""}, {"", ""},
	} {
		got, ok := ForCommand(tt.command)
		if got.Name != tt.want || ok != (tt.want != "") {
			t.Errorf("ForCommand(%q) = %q, %v; want %q", tt.command, got.Name, ok, tt.want)
		}
	}
	// pnpm reads npm's .npmrc, ${VAR} included: the same file, merge and env.
	for _, name := range []string{"npm", "pnpm"} {
		row, ok := Lookup(name)
		if !ok || row.Config != (npmrc{}) || row.Format != "npm" || row.NeedsEndpoint || !slices.Contains(Formats, row.Format) {
			t.Fatalf("%s row: %+v", name, row)
		}
		if env, err := row.Env(Vars{Token: "T", EnvVar: "V"}); err != nil || !slices.Equal(env, []string{"V=T"}) {
			t.Errorf("%s env = %q, %v", name, env, err)
		}
		if p := row.Config.Path("/home/u", ""); p != "/home/u/.npmrc" && p != `\home\u\.npmrc` {
			t.Errorf("%s user path %q", name, p)
		}
		if !slices.Contains(Names(true), name) {
			t.Errorf("setup does not list %s: %v", name, Names(true))
		}
	}
	if !slices.Equal(Names(true), []string{"cargo", "npm", "pnpm", "pip", "poetry", "twine", "uv", "yarn"}) ||
		!slices.Equal(Names(false), []string{"cargo", "npm", "pnpm", "pip", "poetry", "twine", "uv", "yarn"}) {
		t.Errorf("tools: %v, with config %v", Names(false), Names(true))
	}
}

func TestPipIndex(t *testing.T) {
	pip, ok := Lookup("pip")
	if !ok || !pip.NeedsEndpoint || pip.Format != "pypi" {
		t.Fatalf("pip row: %+v", pip)
	}
	tests := []struct {
		endpoint, want string
	}{
		{"https://h.example/pypi/releases/", "PIP_INDEX_URL=https://aws:tok%2Fen@h.example/pypi/releases/simple/"},
		{"http://127.0.0.1:8080/pypi/r", "PIP_INDEX_URL=http://aws:tok%2Fen@127.0.0.1:8080/pypi/r/simple/"},
		{"ftp://h/pypi/r/", ""},
		{"https://u:p@h/pypi/r/", ""},
		{"not a url", ""},
	}
	for _, tt := range tests {
		env, err := pip.Env(Vars{Token: "tok/en", Endpoint: tt.endpoint})
		if tt.want == "" {
			if err == nil || strings.Contains(err.Error(), "tok") {
				t.Errorf("%s: %q, %v; want an error without the token", tt.endpoint, env, err)
			}
			continue
		}
		if err != nil || !slices.Equal(env, []string{tt.want}) {
			t.Errorf("%s: %q, %v; want %q", tt.endpoint, env, err, tt.want)
		}
	}
}
