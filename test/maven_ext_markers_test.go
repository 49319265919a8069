package test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// TestMavenExtensionOfflineNeedsNoToken: `mvn -o` reaches no repository, so
// the extension fetches nothing and the build works with no AWS credentials;
// the same build online fails on the missing credentials.
func TestMavenExtensionOfflineNeedsNoToken(t *testing.T) {
	in := installWithExtension(t)
	h := newHarness(t, fake.Options{UpstreamDir: debianMavenRepo})
	work := t.TempDir()
	copyTree(t, filepath.Join("testdata", "maven", "hello-lib"), filepath.Join(work, "hello-lib"))
	settings := extSettings(t, h, work)
	h.env["AWS_ACCESS_KEY_ID"], h.env["AWS_SECRET_ACCESS_KEY"] = "", ""
	mvn := func(args ...string) result {
		return h.runIn(filepath.Join(work, "hello-lib"), nil, filepath.Join(in.mavenHome, "bin", "mvn"),
			mavenArgs(h, settings, filepath.Join(work, "m2"), args...)...)
	}
	if r := mvn("-o", "validate"); r.code != 0 {
		t.Fatalf("mvn -o validate: %s", r)
	}
	if r := mvn("validate"); r.code == 0 || !strings.Contains(r.stdout, "no CodeArtifact token for server releases") {
		t.Fatalf("mvn validate without credentials did not stop on the token: %s", r)
	}
	for _, req := range h.fake.Requests() {
		if req.Op == fake.OpMaven {
			t.Errorf("the fake saw a repository request: %s %s", req.Method, req.Path)
		}
	}
	if n := h.fake.TokenCalls(); n != 0 {
		t.Errorf("%d token calls without credentials", n)
	}
}

// TestMavenExtensionGroupsMarkers: servers with the same marker share one
// `ca-helper get`; a bare {ca-helper} uses the default target (here from
// CODEARTIFACT_* in the environment), --target a config file target; each
// distinct marker gets its own token.
func TestMavenExtensionGroupsMarkers(t *testing.T) {
	in := installWithExtension(t)
	h := newHarness(t, fake.Options{})
	work := t.TempDir()
	copyTree(t, filepath.Join("testdata", "maven", "hello-lib"), filepath.Join(work, "hello-lib"))
	settings := filepath.Join(work, "settings.xml")
	server := func(id, password string) string {
		return "<server><id>" + id + "</id><password>" + password + "</password></server>"
	}
	writeFile(t, settings, "<settings><servers>"+
		server("releases", "{ca-helper}")+server("snapshots", " {ca-helper} ")+
		server("other", "{ca-helper:--domain other --domain-owner "+testOwner+"}")+
		server("plain", "not-a-marker")+server("work", "{ca-helper:--target work}")+"</servers></settings>")
	writeFile(t, filepath.Join(h.home, ".config", "ca-helper", "config.toml"),
		"[targets.work]\ndomain = \"from-config\"\ndomain_owner = \""+testOwner+"\"\nregion = \"us-east-1\"\n")
	r := h.runIn(filepath.Join(work, "hello-lib"), nil, filepath.Join(in.mavenHome, "bin", "mvn"),
		"-B", "-X", "-s", settings, "-Dmaven.repo.local="+filepath.Join(work, "m2"), "validate")
	if r.code != 0 {
		t.Fatalf("mvn validate: %s", r)
	}
	for _, want := range []string{"ca-helper: token for server releases, snapshots from ", " get in ",
		"ca-helper: token for server other from ", " get --domain other --domain-owner " + testOwner + " in ",
		"ca-helper: token for server work from ", " get --target work in "} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("Maven's debug output lacks %q", want)
		}
	}
	if strings.Contains(r.stdout, "token for server plain") {
		t.Error("a server without a marker got a token")
	}
	if n := h.fake.TokenCalls(); n != 3 {
		t.Errorf("%d token calls, want 3 (one per distinct marker)", n)
	}
	got := h.fake.IssuedDomains()
	slices.Sort(got)
	if want := []string{"demo", "from-config", "other"}; !slices.Equal(got, want) {
		t.Errorf("tokens were issued for domains %q, want %q", got, want)
	}
}
