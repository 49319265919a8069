package tools

import (
	"errors"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// FuzzNpmrcMerge: whatever an existing .npmrc holds, a merge either
// refuses it as malformed or gives a file that holds each managed line
// once, keeps every line it does not manage, and that a second merge
// leaves as it is.
func FuzzNpmrcMerge(f *testing.F) {
	for _, seed := range []string{"", "registry=x\n", "a=1\r\nb", "[s]\nregistry=y\n", npmAuth + "\n",
		"; c\n" + npmNerf + ":_authToken=" + npmToken + "\n", "registry\n=\n", "\x00"} {
		f.Add(seed, "")
		f.Add(seed, "@scope")
	}
	f.Fuzz(func(t *testing.T, existing, scope string) {
		r := Registry{Endpoint: npmEndpoint, EnvVar: "CODEARTIFACT_AUTH_TOKEN", Scope: scope}
		out, _, err := npmrc{}.Merge([]byte(existing), r)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && (scope == "" || ValidScope(scope)) {
				t.Fatalf("Merge(%q) = %v", existing, err)
			}
			return
		}
		key := "registry="
		if scope != "" {
			key = scope + ":registry="
		}
		top := string(out)
		if i := strings.Index(top, "\n["); i >= 0 {
			top = top[:i+1]
		}
		if strings.Count("\n"+top, "\n"+key+npmEndpoint+"\n")+strings.Count("\n"+top, "\n"+key+npmEndpoint+"\r\n") != 1 ||
			strings.Count(top, npmAuth) != 1 {
			t.Fatalf("managed lines not there exactly once:\n%q", out)
		}
		for _, line := range strings.SplitAfter(existing, "\n") {
			k, _, _ := strings.Cut(strings.TrimRight(line, "\r\n"), "=")
			k = strings.TrimSpace(k)
			if k == strings.TrimSuffix(key, "=") || k == npmNerf+":_authToken" || strings.TrimSpace(line) == "" {
				continue
			}
			if !strings.Contains(string(out), strings.TrimRight(line, "\r\n")) {
				t.Fatalf("line %q lost:\n%q", line, out)
			}
		}
		again, rep, err := npmrc{}.Merge(out, r)
		if err != nil || string(again) != string(out) || len(rep.Changes) != 0 {
			t.Fatalf("second merge changed %q to %q (%v)", out, again, err)
		}
	})
}

// FuzzCargoMerge: whatever an existing config.toml holds, a merge either
// refuses it as malformed or gives TOML holding the managed keys, keeps
// every line it does not manage, and that a second merge leaves as it is.
func FuzzCargoMerge(f *testing.F) {
	for _, seed := range []string{"", "[net]\nretry = 3\n", "a = 1\r\nb = 'x'", cargoTable, "[registries.releases]\nindex = 'x' # c\n",
		"registries.releases.index = \"x\"\n", "[registries]\nreleases = {}\n", "x = \"\"\"\n[registries.releases]\n\"\"\"\n", "\x00"} {
		f.Add(seed)
	}
	r := Registry{Endpoint: cargoEndpoint, Name: "releases"}
	f.Fuzz(func(t *testing.T, existing string) {
		out, _, err := cargoConfig{}.Merge([]byte(existing), r)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("Merge(%q) = %v", existing, err)
			}
			return
		}
		var parsed map[string]any // not a struct: the decoder matches its field names in any case
		_, err = toml.Decode(string(out), &parsed)
		regs, _ := parsed["registries"].(map[string]any)
		reg, _ := regs["releases"].(map[string]any)
		if err != nil || reg["index"] != "sparse+"+cargoEndpoint || reg["credential-provider"] != CargoProvider {
			t.Fatalf("merged file lacks the managed keys (%v):\n%q", err, out)
		}
		for _, line := range strings.SplitAfter(existing, "\n") {
			k, _, _ := strings.Cut(line, "=")
			if k = normKey(k); k == "index" || k == "credential-provider" {
				continue
			}
			if !strings.Contains(string(out), strings.TrimRight(line, "\r\n")) {
				t.Fatalf("line %q lost:\n%q", line, out)
			}
		}
		again, rep, err := cargoConfig{}.Merge(out, r)
		if err != nil || string(again) != string(out) || len(rep.Changes) != 0 {
			t.Fatalf("second merge changed %q to %q (%v)", out, again, err)
		}
	})
}

// FuzzYarnrcMerge: whatever an existing .yarnrc.yml holds, a merge either
// refuses it as malformed or gives a file holding the managed values, that
// keeps every line it does not manage, and that a second merge leaves as
// it is.
func FuzzYarnrcMerge(f *testing.F) {
	for _, seed := range []string{"", "a: 1\r\nb", yarnServer + "\n" + yarnAuth, yarnScoped, "npmAuthToken: " + npmToken + "\n",
		"plugins:\n- path: x\n", "npmScopes:\n  my-org:\n    npmAuthToken: x\n", "npmRegistries: {}\n", "k: |\n  npmAuthToken: x\n", "\x00"} {
		f.Add(seed, "")
		f.Add(seed, "@my-org")
	}
	f.Fuzz(func(t *testing.T, existing, scope string) {
		r := Registry{Endpoint: npmEndpoint, EnvVar: "CODEARTIFACT_AUTH_TOKEN", Scope: scope}
		out, _, err := yarnrc{}.Merge([]byte(existing), r)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && (scope == "" || ValidScope(scope)) {
				t.Fatalf("Merge(%q) = %v", existing, err)
			}
			return
		}
		if !strings.Contains(string(out), yarnServer) || !strings.Contains(string(out), `npmAuthToken: "${CODEARTIFACT_AUTH_TOKEN-}"`) {
			t.Fatalf("managed values not there:\n%q", out)
		}
		for _, line := range strings.SplitAfter(existing, "\n") {
			k, _, _ := strings.Cut(strings.TrimSpace(line), ":")
			if k == "npmRegistryServer" || k == "npmAuthToken" || k == "npmAlwaysAuth" || strings.TrimSpace(line) == "" {
				continue
			}
			if !strings.Contains(string(out), strings.TrimRight(line, "\r\n")) {
				t.Fatalf("line %q lost:\n%q", line, out)
			}
		}
		again, rep, err := yarnrc{}.Merge(out, r)
		if err != nil || string(again) != string(out) || len(rep.Changes) != 0 {
			t.Fatalf("second merge changed %q to %q (%v)", out, again, err)
		}
	})
}
