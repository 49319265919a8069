package tools

import (
	"errors"
	"slices"
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

// FuzzPipConfMerge and FuzzPypircMerge: whatever an existing pip.conf or
// .pypirc holds, a merge either refuses it as malformed or gives a file
// that parses as the same file with only the managed keys changed (verify
// checks that, and this checks verify), keeps every line but the managed
// ones, reports no secret it removed, and that a second merge leaves as it
// is.
func FuzzPipConfMerge(f *testing.F) {
	for _, seed := range []string{"", pipGlobal, "[global]\nindex-url = https://aws:" + pipToken + "@h/simple/\n", "[GLOBAL]\r\n  Index_URL: x\r\n",
		"[global]\nk =\n  v\n\n#c\n  w\n", "[install]\na = 1\n  [global]\n", "x\n", "[DEFAULT]\nindex-url = y\n", "[global]\rx=1"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, existing string) { fuzzINI(t, pipConf{}, existing) })
}

func FuzzPypircMerge(f *testing.F) {
	for _, seed := range []string{"", twineDists + twineRepo, "[distutils]\nindex-servers = pypi\n[releases]\npassword = " + pipToken + "\n",
		"[distutils]\nindex-servers =\n  a\n  # c\n\n  b\n", "[releases]\nusername: me\n  more\n", "[pypi]\npassword = p\n"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, existing string) { fuzzINI(t, pypirc{}, existing) })
}

func fuzzINI(t *testing.T, c ConfigFile, existing string) {
	r := Registry{Endpoint: iniEP, Name: "releases"}
	out, rep, err := c.Merge([]byte(existing), r)
	if err != nil {
		if !errors.Is(err, ErrMalformed) {
			t.Fatalf("Merge(%q) = %v", existing, err)
		}
		return
	}
	before, err := parseINI(existing)
	if err != nil {
		t.Fatalf("Merge took %q, which parseINI refuses: %v", existing, err)
	}
	after, err := parseINI(string(out))
	if err != nil {
		t.Fatalf("merged file does not parse (%v):\n%q", err, out)
	}
	pip := c == ConfigFile(pipConf{})
	managed := func(l iniLine) bool {
		if pip {
			return strings.EqualFold(l.section, "global") && pipName(l.key) == "index-url"
		}
		return l.section == "distutils" && l.key == "index-servers" ||
			l.section == "releases" && slices.Contains([]string{"repository", "username", "password"}, l.key)
	}
	for _, l := range before.lines {
		if (l.kind == iniOption || l.kind == iniCont) && managed(l) {
			if v := before.values[l.section][l.key]; l.key == "password" && len(v) >= 8 {
				for _, ch := range rep.Changes {
					if strings.Contains(ch.Old+ch.New, v) {
						t.Fatalf("the report holds the password: %+v", ch)
					}
				}
			}
			continue
		}
		if !strings.Contains(string(out), strings.TrimRight(l.text, "\r\n")) {
			t.Fatalf("line %q lost:\n%q", l.text, out)
		}
	}
	want, norm := map[string]string{"global.index-url": iniEP + "simple/"}, pipName
	if !pip {
		norm = func(s string) string { return s }
		want = map[string]string{"releases.repository": iniEP, "releases.username": "aws"}
		if !slices.Contains(strings.Fields(after.values["distutils"]["index-servers"]), "releases") || after.values["releases"]["password"] != "" {
			t.Fatalf("releases not listed, or a password kept:\n%q", out)
		}
	}
	for k, v := range want {
		s, key, _ := strings.Cut(k, ".")
		if got, _ := lookupINI(after, norm, s, key); got != v {
			t.Fatalf("%s = %q, want %q:\n%q", k, got, v, out)
		}
	}
	again, rep, err := c.Merge(out, r)
	if err != nil || string(again) != string(out) || len(rep.Changes) != 0 {
		t.Fatalf("second merge changed %q to %q (%v)", out, again, err)
	}
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
