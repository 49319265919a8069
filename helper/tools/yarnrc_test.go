package tools

import (
	"errors"
	"strings"
	"testing"
)

const (
	yarnRegKey = `"` + npmNerf + `"`
	yarnServer = `npmRegistryServer: "` + npmEndpoint + `"`
	yarnAuth   = "npmRegistries:\n  " + yarnRegKey + ":\n    npmAlwaysAuth: true\n    npmAuthToken: \"${CODEARTIFACT_AUTH_TOKEN-}\"\n"
	yarnScoped = "npmScopes:\n  my-org:\n    " + yarnServer + "\n    npmPublishRegistry: \"" + npmEndpoint + "\"\n"
)

func TestYarnrcMerge(t *testing.T) {
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
		{name: "new file", r: reg, existing: "<nil>", want: yarnServer + "\n" + yarnAuth, changes: 3},
		{name: "new file, scope", r: scoped, existing: "<nil>", want: yarnScoped + yarnAuth, changes: 4},
		{name: "other keys, comments and a sequence kept byte for byte", r: reg,
			existing: "# mine\nnodeLinker: node-modules # pnp later\nplugins:\n- path: .yarn/plugins/x.cjs\n  spec: \"x\"\npackageExtensions:\n  \"a@*\":\n    dependencies: {b: 1}\n",
			want: "# mine\nnodeLinker: node-modules # pnp later\nplugins:\n- path: .yarn/plugins/x.cjs\n  spec: \"x\"\npackageExtensions:\n  \"a@*\":\n    dependencies: {b: 1}\n" +
				yarnServer + "\n" + yarnAuth, changes: 3},
		{name: "registry replaced in place, other registries kept", r: reg,
			existing: "npmRegistryServer: 'https://registry.yarnpkg.com'\nnpmRegistries:\n  //npm.example/:\n    npmAuthToken: \"${NPM_TOKEN}\"\n\n# end\n",
			want: yarnServer + "\nnpmRegistries:\n  //npm.example/:\n    npmAuthToken: \"${NPM_TOKEN}\"\n  " + yarnRegKey +
				":\n    npmAlwaysAuth: true\n    npmAuthToken: \"${CODEARTIFACT_AUTH_TOKEN-}\"\n\n# end\n", changes: 3},
		{name: "scope added next to another scope, default registry left", r: scoped,
			existing: "npmRegistryServer: \"https://registry.yarnpkg.com\"\nnpmScopes:\n    other:\n        npmRegistryServer: \"https://o.example/\"\n",
			want: "npmRegistryServer: \"https://registry.yarnpkg.com\"\nnpmScopes:\n    other:\n        npmRegistryServer: \"https://o.example/\"\n    my-org:\n      " +
				yarnServer + "\n      npmPublishRegistry: \"" + npmEndpoint + "\"\n" + yarnAuth, changes: 4},
		{name: "literal token from the AWS docs' yarn config set removed", r: reg,
			existing: yarnServer + "\nnpmAlwaysAuth: true\nnpmAuthToken: " + npmToken + "\n",
			want:     yarnServer + "\nnpmAlwaysAuth: true\n" + yarnAuth, changes: 3, literal: true},
		{name: "top-level ${VAR} of the same variable removed, another kept", r: reg,
			existing: "npmAuthToken: \"${CODEARTIFACT_AUTH_TOKEN}\"\nnpmAuthIdent: x\n",
			want:     "npmAuthIdent: x\n" + yarnServer + "\n" + yarnAuth, changes: 4},
		{name: "another variable at the top level kept", r: reg,
			existing: "npmAuthToken: \"${NPM_TOKEN}\"\n", want: "npmAuthToken: \"${NPM_TOKEN}\"\n" + yarnServer + "\n" + yarnAuth, changes: 3},
		{name: "literal token in the scope removed", r: scoped,
			existing: "npmScopes:\n  my-org:\n    npmAuthToken: '" + npmToken + "'\n    " + yarnServer + "\n",
			want:     yarnScoped + yarnAuth, changes: 4, literal: true},
		{name: "literal token under npmRegistries replaced, URL key with scheme", r: reg,
			existing: yarnServer + "\nnpmRegistries:\n  \"" + strings.TrimSuffix(npmEndpoint, "/") + "\":\n    npmAlwaysAuth: true\n    npmAuthToken: " + npmToken + "\n",
			want:     yarnServer + "\nnpmRegistries:\n  \"" + strings.TrimSuffix(npmEndpoint, "/") + "\":\n    npmAlwaysAuth: true\n    npmAuthToken: \"${CODEARTIFACT_AUTH_TOKEN-}\"\n",
			changes:  1, literal: true},
		{name: "already set up: identical", r: reg,
			existing: "a: 1\r\n" + yarnServer + " # ours\r\nnpmRegistries:\r\n  " + yarnRegKey + ":\r\n    npmAlwaysAuth: 'true'\r\n    npmAuthToken: \"${CODEARTIFACT_AUTH_TOKEN-}\"\r\n# end",
			want:     "a: 1\r\n" + yarnServer + " # ours\r\nnpmRegistries:\r\n  " + yarnRegKey + ":\r\n    npmAlwaysAuth: 'true'\r\n    npmAuthToken: \"${CODEARTIFACT_AUTH_TOKEN-}\"\r\n# end"},
		{name: "duplicate keys dropped", r: reg,
			existing: "npmRegistryServer: https://a.example/\n" + yarnServer + "\n" + strings.Replace(yarnAuth, "    npmAlwaysAuth: true\n", "    npmAlwaysAuth: false\n    npmAlwaysAuth: true\n", 1),
			want:     yarnServer + "\n" + yarnAuth, changes: 4},
		{name: "CRLF file gets CRLF lines, last line without newline", r: reg, existing: "a: 1\r\nb: 2",
			want: "a: 1\r\nb: 2\r\n" + strings.ReplaceAll(yarnServer+"\n"+yarnAuth, "\n", "\r\n"), changes: 3},
		{name: "other variable and always-auth off replaced", r: scoped,
			existing: yarnScoped + "npmRegistries:\n  " + yarnRegKey + ":\n    npmAlwaysAuth: false\n    npmAuthToken: ${OTHER}\n",
			want:     yarnScoped + yarnAuth, changes: 2},
		{name: "empty mappings filled", r: scoped, existing: "npmScopes:\nnpmRegistries:\n",
			want: yarnScoped + "npmRegistries:\n  " + yarnRegKey + ":\n    npmAlwaysAuth: true\n    npmAuthToken: \"${CODEARTIFACT_AUTH_TOKEN-}\"\n", changes: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkMerge(t, yarnrc{}, existingFile(tt.existing), tt.r, tt.want, tt.changes, tt.literal, npmToken)
		})
	}
}

func TestYarnrcMergeRefuses(t *testing.T) {
	reg := Registry{Endpoint: npmEndpoint, EnvVar: "CODEARTIFACT_AUTH_TOKEN"}
	with := func(f func(*Registry)) Registry { r := reg; f(&r); return r }
	scoped := with(func(r *Registry) { r.Scope = "@my-org" })
	tests := []struct {
		name      string
		existing  string
		r         Registry
		malformed bool
	}{
		{"NUL byte", "a: x\x00\n", reg, true},
		{"not UTF-8", "a: \xff\xfe\n", reg, true},
		{"over 1 MiB", strings.Repeat("#", MaxConfigSize+1), reg, true},
		{"tab", "a:\n\tb: 1\n", reg, true},
		{"second document", "a: 1\n---\nb: 2\n", reg, true},
		{"directive", "%YAML 1.2\na: 1\n", reg, true},
		{"flow mapping at npmRegistries", "npmRegistries: {}\n", reg, true},
		{"flow mapping at npmScopes", "npmScopes: {my-org: {npmRegistryServer: x}}\n", scoped, true},
		{"alias at npmScopes", "x: &s\n  a: 1\nnpmScopes: *s\n", scoped, true},
		{"merge key on the way", "npmScopes:\n  <<: *s\n", scoped, true},
		{"block scalar at a managed key", "npmRegistryServer: |\n  https://x/\n", reg, true},
		{"flow value at a managed key", "npmRegistryServer: [a]\n", reg, true},
		{"sequence at npmRegistries", "npmRegistries:\n- a\n", reg, true},
		{"top level indented", "  a: 1\n", reg, true},
		{"uneven indentation", "npmRegistries:\n  a:\n    b: 1\n c:\n", reg, true},
		{"npmRegistries twice", "npmRegistries:\n  a:\n    b: 1\nnpmRegistries:\n  c:\n    d: 1\n", reg, true},
		{"the registry twice", "npmRegistries:\n  " + yarnRegKey + ":\n    a: 1\n  \"" + npmEndpoint + "\":\n    b: 1\n", reg, true},
		{"not a mapping entry at the top", "just text\n", reg, true},
		{"unterminated quote", "npmRegistryServer: \"https://x/\n", reg, true},
		{"escapes in a managed value", `npmRegistryServer: "https:\/\/x/"` + "\n", reg, true},
		{"endpoint with a newline", "", with(func(r *Registry) { r.Endpoint = npmEndpoint + "\nx: 1/" }), false},
		{"endpoint with ${", "", with(func(r *Registry) { r.Endpoint = "https://h/npm/${X}/" }), false},
		{"endpoint not https", "", with(func(r *Registry) { r.Endpoint = "ftp://h/npm/r/" }), false},
		{"endpoint with userinfo", "", with(func(r *Registry) { r.Endpoint = "https://u:p@h/npm/r/" }), false},
		{"endpoint with a query", "", with(func(r *Registry) { r.Endpoint = "https://h/npm/r/?a=b" }), false},
		{"endpoint without /", "", with(func(r *Registry) { r.Endpoint = "https://h/npm/r" }), false},
		{"scope without @", "", with(func(r *Registry) { r.Scope = "my-org" }), false},
		{"bad variable name", "", with(func(r *Registry) { r.EnvVar = "A}B" }), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := yarnrc{}.Merge([]byte(tt.existing), tt.r)
			if err == nil || out != nil || errors.Is(err, ErrMalformed) != tt.malformed {
				t.Errorf("Merge = %q, %v; want an error, malformed %v", out, err, tt.malformed)
			}
		})
	}
}

func TestYarnRow(t *testing.T) {
	row, ok := Lookup("yarn")
	if !ok || row.Config != (yarnrc{}) || row.Format != "npm" || row.NeedsEndpoint {
		t.Fatalf("yarn row: %+v", row)
	}
	if p := row.Config.Path("/home/u", ""); p != "/home/u/.yarnrc.yml" && p != `\home\u\.yarnrc.yml` {
		t.Errorf("user path %q", p)
	}
	if p := row.Config.Path("/home/u", "/p"); p != "/p/.yarnrc.yml" && p != `\p\.yarnrc.yml` {
		t.Errorf("project path %q", p)
	}
	for _, tt := range []struct {
		v, name string
		ok      bool
	}{
		{"${A}", "A", true}, {"${A-}", "A", true}, {"${A:-x}", "A", true}, {"${A}b", "", false}, {"$A", "", false}, {"${}", "", false}, {"${A${B}}", "", false},
	} {
		if name, ok := isYarnVarRef(tt.v); ok != tt.ok || (ok && name != tt.name) {
			t.Errorf("isYarnVarRef(%q) = %q, %v", tt.v, name, ok)
		}
	}
}
