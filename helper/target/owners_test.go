package target

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/helper/failure/failuretest"
)

func TestResolveOwners(t *testing.T) {
	const targets = "[targets.a]\ndomain = \"d1\"\ndomain_owner = \"444455556666\"\n" +
		"[targets.b]\ndomain = \"d2\"\n" +
		"[targets.c]\ndomain = \"d3\"\ndomain_owner = \"111122223333\"\n"
	tests := []struct {
		name   string
		env    map[string]string
		config string
		want   Owners // Source "CONFIG" stands for config PATH:LINE (allowed_owners)
	}{
		{"nothing configured: the caller's own account", nil, "",
			Owners{Self: true, Source: "default"}},
		{"default: config targets' owners, each once", nil, targets + "[targets.d]\ndomain = \"d4\"\ndomain_owner = \"444455556666\"\n",
			Owners{Accounts: []string{"111122223333", "444455556666"}, Self: true, Source: "default"}},
		{"default: CODEARTIFACT_DOMAIN_OWNER and CODEARTIFACT_URL", map[string]string{"CODEARTIFACT_DOMAIN_OWNER": "777788889999",
			"CODEARTIFACT_URL": "https://my-domain-210987654321.d.codeartifact.eu-west-1.amazonaws.com/maven/releases/"}, "",
			Owners{Accounts: []string{"210987654321", "777788889999"}, Self: true, Source: "default"}},
		{"default: a malformed CODEARTIFACT_DOMAIN_OWNER allows nothing", map[string]string{"CODEARTIFACT_DOMAIN_OWNER": "1111"}, "",
			Owners{Self: true, Source: "default"}},
		{"config list is the whole list", map[string]string{"CODEARTIFACT_DOMAIN_OWNER": "777788889999"},
			"allowed_owners = [\"999988887777\", \"111122223333\"]\n" + targets,
			Owners{Accounts: []string{"111122223333", "999988887777"}, Source: "CONFIG:1"}},
		{"empty config list allows nothing", nil, "allowed_owners = []\n", Owners{Source: "CONFIG:1"}},
		{"env list is the whole list", map[string]string{"CA_HELPER_ALLOWED_OWNERS": " 999988887777,,111122223333 ,"},
			"allowed_owners = [\"444455556666\"]\n" + targets,
			Owners{Accounts: []string{"111122223333", "999988887777"}, Source: "env CA_HELPER_ALLOWED_OWNERS"}},
		{"env of only commas allows nothing", map[string]string{"CA_HELPER_ALLOWED_OWNERS": ","}, "",
			Owners{Source: "env CA_HELPER_ALLOWED_OWNERS"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &Inputs{Getenv: envMap(tt.env)}
			if tt.config != "" {
				in.ConfigPath = writeFile(t, "config.toml", tt.config)
			}
			got, err := ResolveOwners(in)
			if err != nil {
				t.Fatal(err)
			}
			if line, ok := strings.CutPrefix(tt.want.Source, "CONFIG:"); ok {
				tt.want.Source = "config " + in.ConfigPath + ":" + line + " (allowed_owners)"
			}
			if !slices.Equal(got.Accounts, tt.want.Accounts) || got.Self != tt.want.Self || got.Source != tt.want.Source {
				t.Errorf("ResolveOwners = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestResolveOwnersErrors(t *testing.T) {
	for _, v := range []string{"1111-2222-3333", "111122223333,self", "11112222333\n"} {
		_, err := ResolveOwners(&Inputs{Getenv: envMap(map[string]string{AllowedOwnersEnv: v})})
		failuretest.WantUsage(t, err, "in env CA_HELPER_ALLOWED_OWNERS")
	}
	_, err := ResolveOwners(&Inputs{Getenv: envMap(nil), ConfigPath: writeFile(t, "c.toml", "allowed_owners = [\"x\"]\n")})
	failuretest.WantUsage(t, err, "allowed_owners")
}

func TestOwnersAllowed(t *testing.T) {
	errSTS := errors.New("no credentials")
	list := []string{"111122223333", "444455556666"}
	tests := []struct {
		name      string
		owners    Owners
		owner     string
		self      string // the caller's account; "" with selfErr
		selfErr   error
		want      bool
		wantErr   error
		wantAsked bool // self was called
	}{
		{"listed", Owners{Accounts: list, Self: true}, "444455556666", "", errSTS, true, nil, false},
		{"empty owner: the caller's own, pinned in the config", Owners{}, "", "", errSTS, true, nil, false},
		{"not listed, caller's own account", Owners{Accounts: list, Self: true}, "999988887777", "999988887777", nil, true, nil, true},
		{"not listed, another account", Owners{Accounts: list, Self: true}, "999988887777", "111122223333", nil, false, nil, true},
		{"not listed, the caller is unknown", Owners{Accounts: list, Self: true}, "999988887777", "", errSTS, false, errSTS, true},
		{"explicit list: the caller's own account is not asked", Owners{Accounts: list}, "999988887777", "999988887777", nil, false, nil, false},
		{"empty explicit list", Owners{}, "111122223333", "111122223333", nil, false, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			asked := false
			got, err := tt.owners.Allowed(tt.owner, func() (string, error) { asked = true; return tt.self, tt.selfErr })
			if got != tt.want || !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) || asked != tt.wantAsked {
				t.Errorf("Allowed(%q) = %v, %v (asked %v); want %v, %v (asked %v)", tt.owner, got, err, asked, tt.want, tt.wantErr, tt.wantAsked)
			}
		})
	}
}

func TestOwnersString(t *testing.T) {
	for _, tt := range []struct {
		o    Owners
		want string
	}{
		{Owners{Source: "env X"}, "none (env X)"},
		{Owners{Self: true, Source: "default"}, "the caller's own account (default)"},
		{Owners{Accounts: []string{"111122223333"}, Source: "env X"}, "111122223333 (env X)"},
		{Owners{Accounts: []string{"111122223333", "444455556666"}, Self: true, Source: "default"},
			"111122223333, 444455556666 and the caller's own account (default)"},
	} {
		if got := tt.o.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}
