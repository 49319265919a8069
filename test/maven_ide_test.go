package test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// ideaImport runs testdata/maven/embedder/IdeaImport.java, which resolves
// artifacts as IntelliJ's Maven 3 importer does: a MavenCli container,
// populateFromSettings and populateDefaults, DefaultMaven.newRepositorySession,
// and never Maven.execute, so the extension's event spy is not called. The
// extension comes from -Dmaven.ext.class.path, an importer's VM option.
func ideaImport(t *testing.T, h *harness, in installed, work, settings string, imports int, stdin []byte) result {
	t.Helper()
	return h.runIn(work, stdin, "java", ideaArgs(t, h, in, work, settings, imports)...)
}

func ideaArgs(t *testing.T, h *harness, in installed, work, settings string, imports int) []string {
	t.Helper()
	return importArgs(t, h, in.machineMaven, "-Dmaven.ext.class.path="+in.jar, settings, filepath.Join(work, "m2"), imports)
}

// importArgs are the java arguments that run IdeaImport.java with the Maven
// at mh; extArg loads the extension ("" when the project's
// .mvn/extensions.xml does).
func importArgs(t *testing.T, h *harness, mh, extArg, settings, localRepo string, imports int) []string {
	t.Helper()
	prog, _ := filepath.Abs(filepath.Join("testdata", "maven", "embedder", "IdeaImport.java"))
	cp := strings.Join([]string{filepath.Join(mh, "boot", "*"), filepath.Join(mh, "lib", "*"), filepath.Join(mh, "conf", "logging")}, ":")
	args := []string{"-cp", cp, "-Dmaven.home=" + mh, "-Duser.home=" + h.home}
	if extArg != "" {
		args = append(args, extArg)
	}
	args = append(args, prog, settings, localRepo, string(rune('0'+imports)),
		"org.apache.commons:commons-lang3:3.12.0", "org.apache.maven.plugins:maven-compiler-plugin:3.10.1")
	return args
}

// TestIntelliJMaven3ImportGetsToken: the token reaches an import that no
// event spy hears of, through the extension's SettingsDecrypter; one token
// fetch, and no request carries the marker.
func TestIntelliJMaven3ImportGetsToken(t *testing.T) {
	in := installWithExtension(t)
	h := newHarness(t, fake.Options{UpstreamDir: debianMavenRepo})
	work := t.TempDir()
	settings := extSettings(t, h, work)
	r := ideaImport(t, h, in, work, settings, 1, nil)
	for _, want := range []string{"import 1: commons-lang3-3.12.0.jar\n", "import 1: maven-compiler-plugin-3.10.1.jar\n"} {
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Fatalf("import did not resolve %q: %s", want, r)
		}
	}
	wantUpstream(t, h.fake, "org/apache/commons/commons-lang3/3.12.0/commons-lang3-3.12.0.jar")
	wantAuthenticated(t, h.fake)
	wantNoMarkerSent(t, h.fake)
	if n := h.fake.TokenCalls(); n != 1 {
		t.Errorf("%d token calls, want 1", n)
	}
}

// TestIntelliJMaven3ImportFailsLoud: without AWS credentials the import stops
// with ca-helper's own error, and the marker is never sent.
func TestIntelliJMaven3ImportFailsLoud(t *testing.T) {
	in := installWithExtension(t)
	h := newHarness(t, fake.Options{UpstreamDir: debianMavenRepo})
	work := t.TempDir()
	settings := extSettings(t, h, work)
	delete(h.env, "AWS_ACCESS_KEY_ID")
	delete(h.env, "AWS_SECRET_ACCESS_KEY")
	r := ideaImport(t, h, in, work, settings, 1, nil)
	if r.code == 0 || !strings.Contains(r.stdout+r.stderr, "ca-helper: no CodeArtifact token for server releases") {
		t.Fatalf("want the import to stop with ca-helper's error: %s", r)
	}
	wantNoMarkerSent(t, h.fake)
	if len(h.fake.Requests()) != 0 && h.fake.TokenCalls() != 0 {
		t.Errorf("the fake issued a token without credentials")
	}
}

// TestIntelliJMaven3ImportLongLived: one importer process, two imports; the
// cached token is dropped in between, and the second import gets (and sends)
// a new one, as an IDE that stays up past a token's life must.
func TestIntelliJMaven3ImportLongLived(t *testing.T) {
	in := installWithExtension(t)
	h := newHarness(t, fake.Options{UpstreamDir: debianMavenRepo})
	work := t.TempDir()
	settings := extSettings(t, h, work)
	// The harness waits for a line before the second import; erase first.
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan result, 1)
	go func() {
		defer pr.Close()
		done <- h.runInReader(work, pr, "java", ideaArgs(t, h, in, work, settings, 2)...)
	}()
	waitFor(t, "the first import", func() bool { return fileExists(filepath.Join(work, "m2") + ".ready") })
	os.RemoveAll(filepath.Join(work, "m2")) // the second import downloads again
	if r := h.run("ca-helper", "erase"); r.code != 0 {
		t.Fatalf("erase: %s", r)
	}
	pw.Write([]byte("next\n"))
	pw.Close()
	r := <-done
	if r.code != 0 || !strings.Contains(r.stdout, "import 2: commons-lang3-3.12.0.jar") {
		t.Fatalf("second import: %s", r)
	}
	wantNewTokenSecondTime(t, h.fake)
}

// TestProjectExtensionImportGetsToken is the route Eclipse m2e (and VS Code's
// Java extension) can use: m2e loads core extensions only from the project's
// .mvn/extensions.xml, then builds its sessions with newRepositorySession
// (MavenExecutionContext.execute). The container here is MavenCli's, not
// m2e's PlexusContainerManager, which needs Eclipse.
func TestProjectExtensionImportGetsToken(t *testing.T) {
	in := installWithExtension(t)
	h := newHarness(t, fake.Options{UpstreamDir: debianMavenRepo})
	work := t.TempDir()
	project := filepath.Join(work, "hello-lib")
	copyTree(t, filepath.Join("testdata", "maven", "hello-lib"), project)
	settings := extSettings(t, h, work, "--project", project)
	localRepo := filepath.Join(work, "m2")
	copyTree(t, in.repo, localRepo) // what install.sh put into the developer's local repository
	r := h.runIn(project, nil, "java", importArgs(t, h, in.machineMaven, "", settings, localRepo, 1)...)
	if r.code != 0 || !strings.Contains(r.stdout, "import 1: commons-lang3-3.12.0.jar") {
		t.Fatalf("import with .mvn/extensions.xml: %s", r)
	}
	wantAuthenticated(t, h.fake)
	wantNoMarkerSent(t, h.fake)
	if n := h.fake.TokenCalls(); n != 1 {
		t.Errorf("%d token calls, want 1", n)
	}
}

// wantNewTokenSecondTime: a long-lived importer made two imports with the
// cached token erased in between; the fake issued two different tokens, the
// last request carried the new one, and none carried the marker.
func wantNewTokenSecondTime(t *testing.T, f *fake.Server) {
	t.Helper()
	issued := f.IssuedTokens()
	if len(issued) != 2 || issued[0] == issued[1] {
		t.Fatalf("want 2 different tokens, the fake issued %d", len(issued))
	}
	reqs := f.Requests()
	last := reqs[len(reqs)-1]
	if last.TokenPrefix == "" || !strings.HasPrefix(issued[1], last.TokenPrefix) {
		t.Errorf("the second import's last request carried %q…, not the new token", last.TokenPrefix)
	}
	wantNoMarkerSent(t, f)
}
