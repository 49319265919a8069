package maven

import (
	"bytes"
	"encoding/xml"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestMergeInvalid(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"not xml", "hello", "line 1: text outside the root element"},
		{"unclosed root", "<settings>\n  <servers>\n", "line 3: unexpected end of file: <servers> is not closed"},
		{"mismatched end tag", "<settings>\n  <servers>\n  </server>\n</settings>", "line 3: element <servers> closed by </server>"},
		{"stray end tag", "<settings/>\n</settings>", "line 2: unexpected end element </settings>"},
		{"two roots", "<settings/>\n<settings/>", "line 2: more than one root element"},
		{"not settings", "<?xml version=\"1.0\"?>\n<project/>", "line 2: root element is <project>, want <settings>"},
		{"prefixed root", `<s:settings xmlns:s="http://maven.apache.org/SETTINGS/1.0.0"/>`, "root element is <s:settings>"},
		{"bad syntax", "<settings>\n<servers><server <id/></servers></settings>", "line 2: "},
		{"unknown entity", "<settings>&nbsp;</settings>", "line 1: invalid character entity &nbsp;"},
		{"other encoding", `<?xml version="1.0" encoding="ISO-8859-1"?><settings/>`, `encoding "ISO-8859-1" declared`},
		{"only a comment", "<!-- nothing -->\n", "line 2: no root element"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Merge([]byte(tt.in), releases)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Merge error = %v, want ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if out != nil {
				t.Errorf("Merge returned output with an error: %q", out)
			}
			if err := Check([]byte(tt.in)); !errors.Is(err, ErrInvalid) {
				t.Errorf("Check = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestMergeBadServer(t *testing.T) {
	tests := []struct {
		name string
		s    Server
		want string
	}{
		{"no id", Server{URL: caURL}, "invalid server id"},
		{"blank in id", Server{ID: "my repo", URL: caURL}, "invalid server id"},
		{"no url", Server{ID: "r"}, "no repository url"},
		{"not http", Server{ID: "r", URL: "file:///etc/passwd"}, "invalid repository url"},
		{"blank in url", Server{ID: "r", URL: "https://x.example/a b"}, "invalid repository url"},
		{"bad env var", Server{ID: "r", URL: caURL, EnvVar: "1TOKEN"}, "invalid environment variable name"},
		{"env var with markup", Server{ID: "r", URL: caURL, EnvVar: "X}</password>"}, "invalid environment variable name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Merge(nil, tt.s)
			if err == nil || errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Merge error = %v, want one containing %q (not ErrInvalid)", err, tt.want)
			}
		})
	}
}

// settingsDoc is the part of settings.xml Merge writes, as Maven reads it.
type settingsDoc struct {
	XMLName        xml.Name     `xml:"settings"`
	Servers        []serverXML  `xml:"servers>server"`
	Mirrors        []mirrorXML  `xml:"mirrors>mirror"`
	Profiles       []profileXML `xml:"profiles>profile"`
	ActiveProfiles []string     `xml:"activeProfiles>activeProfile"`
}

type serverXML struct {
	ID       string `xml:"id"`
	Username string `xml:"username"`
	Password string `xml:"password"`
}

type mirrorXML struct {
	ID       string `xml:"id"`
	MirrorOf string `xml:"mirrorOf"`
	URL      string `xml:"url"`
}

type profileXML struct {
	ID              string    `xml:"id"`
	ActiveByDefault string    `xml:"activation>activeByDefault"`
	Repos           []repoXML `xml:"repositories>repository"`
	PluginRepos     []repoXML `xml:"pluginRepositories>pluginRepository"`
}

type repoXML struct {
	ID        string `xml:"id"`
	URL       string `xml:"url"`
	Releases  string `xml:"releases>enabled"`
	Snapshots string `xml:"snapshots>enabled"`
}

// checkMerged asserts that out holds s as Maven would read it.
func checkMerged(t *testing.T, out []byte, s Server) {
	t.Helper()
	var doc settingsDoc
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("output is not well-formed: %v\n%s", err, out)
	}
	env := s.EnvVar
	if env == "" {
		env = DefaultEnvVar
	}
	if !slices.Contains(doc.Servers, serverXML{s.ID, "aws", "${env." + env + "}"}) {
		t.Errorf("server %q missing or wrong: %+v", s.ID, doc.Servers)
	}
	want := []repoXML{{ID: s.ID, URL: s.URL, Releases: "true", Snapshots: "true"}}
	if !slices.ContainsFunc(doc.Profiles, func(p profileXML) bool {
		return p.ID == ProfileID(s.ID) && p.ActiveByDefault == "true" && slices.Equal(p.Repos, want) && slices.Equal(p.PluginRepos, want)
	}) {
		t.Errorf("profile %q missing or wrong: %+v", ProfileID(s.ID), doc.Profiles)
	}
	if !slices.Contains(doc.ActiveProfiles, ProfileID(s.ID)) {
		t.Errorf("activeProfiles %v lack %q", doc.ActiveProfiles, ProfileID(s.ID))
	}
	if s.Mirror && !slices.Contains(doc.Mirrors, mirrorXML{s.ID, "*", s.URL}) {
		t.Errorf("mirror %q missing or wrong: %+v", s.ID, doc.Mirrors)
	}
}

func TestMergeStructure(t *testing.T) {
	servers := []Server{
		releases,
		releasesMirror,
		{ID: "r&d", URL: "https://r.example/m/?a=1&b=<2>", EnvVar: "TOKEN_2", Mirror: true},
	}
	for _, in := range []string{"", existing, "<settings/>", "<settings><servers><server><id>r&amp;d</id></server></servers></settings>"} {
		for _, s := range servers {
			out, err := Merge([]byte(in), s)
			if err != nil {
				t.Fatalf("Merge(%q, %+v): %v", in, s, err)
			}
			checkMerged(t, out, s)
		}
	}
}

// TestMergeNeverWritesToken: the only secret-bearing text Merge writes is the
// reference ${env.VAR}; no input can make it write anything else there.
func TestMergeNeverWritesToken(t *testing.T) {
	t.Setenv(DefaultEnvVar, "secret-token-value")
	out, err := Merge([]byte(existing), releasesMirror)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out, []byte("secret-token-value")) {
		t.Error("output contains the token")
	}
	if !bytes.Contains(out, []byte("<password>${env.CODEARTIFACT_AUTH_TOKEN}</password>")) {
		t.Error("output lacks the ${env.CODEARTIFACT_AUTH_TOKEN} password")
	}
}

func FuzzMerge(f *testing.F) {
	for _, s := range []string{"", newFile, existing, "<settings/>", "<settings>\r\n\t<servers/>\r\n</settings>",
		"<settings><servers><server><id>a</id></server></servers></settings>",
		"<?xml version=\"1.0\"?><settings>\n    <mirrors>\n\t<mirror/>\n  </mirrors></settings>",
		"\uFEFF\n<!DOCTYPE settings>\n<settings>\n</settings>\n"} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, in []byte, mirror bool) {
		s := Server{ID: "releases", URL: caURL, Mirror: mirror}
		out, err := Merge(in, s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Merge: %v is not ErrInvalid", err)
			}
			return
		}
		checkMerged(t, out, s)
		if again, err := Merge(out, s); err != nil || !bytes.Equal(again, out) {
			t.Fatalf("not idempotent (err %v):\n%q\n%q", err, out, again)
		}
		moved := Server{ID: "releases", URL: "https://other.example/m/", EnvVar: "T", Mirror: mirror}
		direct, _ := Merge(in, moved)
		if via, err := Merge(out, moved); err != nil || !bytes.Equal(via, direct) {
			t.Fatalf("changing the URL of a merged file differs from merging it afresh (err %v):\n%q\n%q", err, via, direct)
		}
	})
}
