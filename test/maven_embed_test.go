package test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// TestMavenExtensionInEmbeddedMaven runs Maven embedded in its own JVM through
// MavenCli.doMain (testdata/maven/embedder), with no mvn script and no env var.
// That is the command-line path (the event spy runs); the path IDE importers
// take is tested in maven_ide_test.go. The extension comes once from -Dmaven.ext.class.path
// (an importer's VM option) with an empty local repository, once from the
// project's .mvn/extensions.xml with the local repository install.sh filled.
// Dependencies and plugins resolve through the fake with the token the
// extension got.
func TestMavenExtensionInEmbeddedMaven(t *testing.T) {
	in := installWithExtension(t)
	if _, err := exec.LookPath("java"); err != nil {
		t.Fatal("java missing next to mvn")
	}
	h := newHarness(t, fake.Options{UpstreamDir: debianMavenRepo})
	work := t.TempDir()
	project := filepath.Join(work, "hello-lib")
	copyTree(t, filepath.Join("testdata", "maven", "hello-lib"), project)
	settings := extSettings(t, h, work)
	embed, _ := filepath.Abs(filepath.Join("testdata", "maven", "embedder", "Embed.java"))
	mh := in.machineMaven
	cp := strings.Join([]string{filepath.Join(mh, "boot", "*"), filepath.Join(mh, "lib", "*"), filepath.Join(mh, "conf", "logging")}, ":")
	embedded := func(localRepo string, args ...string) {
		t.Helper()
		r := h.runIn(project, nil, "java", append([]string{"-cp", cp, "-Dmaven.home=" + mh, embed},
			mavenArgs(h, settings, localRepo, append(args, "compile")...)...)...)
		if r.code != 0 || !strings.Contains(r.stdout, "BUILD SUCCESS") {
			t.Fatalf("embedded Maven: %s", r)
		}
	}

	embedded(filepath.Join(work, "empty-m2"), "-Dmaven.ext.class.path="+in.jar)
	wantUpstream(t, h.fake, "org/apache/commons/commons-lang3/3.12.0/commons-lang3-3.12.0.jar")
	wantAuthenticated(t, h.fake)

	if r := h.run("ca-helper", "settings", "--repository", "releases", "--extension", "--project", project,
		"--settings-file", settings); r.code != 0 {
		t.Fatalf("settings --project: %s", r)
	}
	seeded := filepath.Join(work, "m2")
	copyTree(t, in.repo, seeded)
	before := len(h.fake.Requests())
	embedded(seeded)
	if len(h.fake.Requests()) == before {
		t.Fatal("the second embedded build made no request through the fake")
	}
	wantAuthenticated(t, h.fake)
	wantNoMarkerSent(t, h.fake)
	if n := h.fake.TokenCalls(); n != 1 {
		t.Errorf("%d token calls, want 1", n)
	}
}

// TestMavenExtensionRefillsReusedServers: an embedder that hands the spy the
// same Server objects for a second build gets a fresh `ca-helper get` then,
// not the first build's token.
func TestMavenExtensionRefillsReusedServers(t *testing.T) {
	in := installWithExtension(t)
	h := newHarness(t, fake.Options{})
	work := t.TempDir()
	counter := filepath.Join(work, "count")
	script := filepath.Join(work, "numbered-token")
	// Prints token-1, token-2, …: one more each time it runs.
	writeFile(t, script, "#!/bin/sh\nn=$(( $(cat "+counter+" 2>/dev/null || echo 0) + 1 ))\necho $n >"+counter+"\necho token-$n\n")
	os.Chmod(script, 0o755)
	prog, _ := filepath.Abs(filepath.Join("testdata", "maven", "embedder", "SpyTwice.java"))
	mh := in.machineMaven
	cp := strings.Join([]string{filepath.Join(mh, "lib", "*"), filepath.Join(mh, "boot", "*"), in.jar}, ":")
	r := h.runIn(work, nil, "java", "-cp", cp, "-Dca-helper.path="+script, prog)
	if r.code != 0 || r.stdout != "aws token-1\naws token-2\n" {
		t.Fatalf("want the second build to get token-2: %s", r)
	}
}
