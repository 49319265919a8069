package tools

import (
	"errors"
	"strings"
	"testing"
)

// setup --keyring: pip.conf and uv.toml name the user aws and set
// keyring-provider; the plain form takes setup's keyring-provider out again.
func TestPipConfKeyring(t *testing.T) {
	awsIdx := "index-url = " + strings.Replace(iniEP, "://", "://aws@", 1) + "simple/"
	withKeyring := "[global]\n" + awsIdx + "\nkeyring-provider = subprocess\n"
	tests := []struct {
		name, existing, want string
		keyring, literal     bool
		changes              int
	}{
		{name: "new file", keyring: true, want: withKeyring, changes: 3},
		{name: "plain to keyring", keyring: true, existing: pipGlobal, want: withKeyring, changes: 2},
		{name: "keyring to plain", existing: withKeyring, want: pipGlobal, changes: 2},
		{name: "keyring to plain, spelled otherwise", existing: "[global]\n" + awsIdx + "\nKeyring_Provider = subprocess\ntimeout = 5\n",
			want: pipGlobal + "timeout = 5\n", changes: 2},
		{name: "the user's own provider kept by the plain form", existing: "[global]\nkeyring-provider = import\n",
			want: "[global]\nkeyring-provider = import\n" + pipIdx + "\n", changes: 1},
		{name: "the user's own provider replaced by --keyring", keyring: true, existing: "[global]\nkeyring-provider = import\n",
			want: "[global]\nkeyring-provider = subprocess\n" + awsIdx + "\n", changes: 2},
		{name: "token replaced by the bare user", keyring: true, literal: true, changes: 2,
			existing: "[global]\nindex-url = " + strings.Replace(iniEP, "://", "://aws:"+pipToken+"@", 1) + "simple/\n", want: withKeyring},
		{name: "another user is a credential", literal: true, changes: 1,
			existing: "[global]\nindex-url = " + strings.Replace(iniEP, "://", "://"+pipToken+"@", 1) + "simple/\n", want: pipGlobal},
		{name: "second keyring run", keyring: true, existing: withKeyring, want: withKeyring},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var existing []byte
			if tt.existing != "" {
				existing = []byte(tt.existing)
			}
			checkMerge(t, pipConf{}, existing, Registry{Endpoint: iniEP, Keyring: tt.keyring}, tt.want, tt.changes, tt.literal, pipToken)
		})
	}
}

func TestUvKeyring(t *testing.T) {
	entry := func(user string) string {
		return "[[index]]\nname = \"releases\"\nurl = \"" + strings.Replace(pypiEP, "://", "://"+user, 1) + "simple/\"\npublish-url = \"" + pypiEP +
			"\"\ndefault = true\nauthenticate = \"always\"\n"
	}
	provider := "keyring-provider = \"subprocess\"\n"
	tests := []struct {
		name, existing, want string
		keyring              bool
		changes              int
	}{
		{name: "new file", keyring: true, want: provider + "\n" + entry("aws@"), changes: 7},
		{name: "plain to keyring", keyring: true, existing: entry(""), want: provider + "\n" + entry("aws@"), changes: 2},
		{name: "keyring to plain", existing: provider + "\n" + entry("aws@"), want: entry(""), changes: 2},
		{name: "after the last top-level key", keyring: true, existing: "# mine\nnative-tls = true\n\n" + entry("aws@"),
			want: "# mine\nnative-tls = true\n" + provider + "\n" + entry("aws@"), changes: 1},
		{name: "above the comment of the first table", keyring: true, existing: "\n# pip settings\n[pip]\nx = 1\n",
			want: "\n" + provider + "\n# pip settings\n[pip]\nx = 1\n\n" + entry("aws@"), changes: 7},
		{name: "a value of its own replaced in place", keyring: true, existing: "keyring-provider = 'disabled' # off\n" + entry("aws@"),
			want: provider + entry("aws@"), changes: 1},
		{name: "the user's own provider kept by the plain form", existing: "keyring-provider = \"disabled\"\n" + entry(""),
			want: "keyring-provider = \"disabled\"\n" + entry("")},
		{name: "a key of a table is not top-level", keyring: true, existing: "[pip]\nkeyring-provider = \"subprocess\"\n",
			want: provider + "\n[pip]\nkeyring-provider = \"subprocess\"\n\n" + entry("aws@"), changes: 7},
		{name: "CRLF", keyring: true, existing: "native-tls = true\r\n",
			want: "native-tls = true\r\n" + strings.ReplaceAll(provider+"\n"+entry("aws@"), "\n", "\r\n"), changes: 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkMerge(t, uvConfig{}, []byte(tt.existing), Registry{Endpoint: pypiEP, Name: "releases", Keyring: tt.keyring},
				tt.want, tt.changes, false, "")
		})
	}
	if _, _, err := (uvConfig{pyproject: true}).Merge(nil, Registry{Endpoint: pypiEP, Name: "releases", Keyring: true}); err == nil {
		t.Error("--keyring into pyproject.toml: want an error")
	}
}

func TestMergeTopKeyRefuses(t *testing.T) {
	k := topKey{key: "keyring-provider", value: `"subprocess"`}
	for name, existing := range map[string]string{
		"multi-line value":       "keyring-provider = \"\"\"\nsubprocess\n\"\"\"\n",
		"a string across lines":  "x = '''\nkeyring-provider = 1\n'''\n",
		"not TOML":               "keyring-provider = \n",
		"set twice (not TOML)":   "keyring-provider = \"a\"\nkeyring-provider = \"b\"\n",
		"quoted key, odd spaces": "\"keyring-provider\" = [\n\"x\"]\n",
	} {
		t.Run(name, func(t *testing.T) {
			if out, _, err := mergeTopKey([]byte(existing), k, "\n"); !errors.Is(err, ErrMalformed) {
				t.Errorf("want ErrMalformed, got %v and %q", err, out)
			}
		})
	}
}
