package test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
	"github.com/ca-helper/ca-helper/test/testenv"
)

const debianMavenRepo = "/usr/share/maven-repo"

// requireMaven makes sure mvn and Debian's Maven plugin packages (which the
// e2e builds use offline) are there; else the test skips (outside CI) or
// fails (in CI, where .ci/run installs them).
func requireMaven(t *testing.T) {
	t.Helper()
	testenv.Tool(t, "mvn", "apt-get install -y maven")
	if !fileExists(filepath.Join(debianMavenRepo, "org/apache/maven/plugins/maven-compiler-plugin/3.10.1")) {
		testenv.Missing(t, "Debian's Maven plugin packages are not installed; fix: apt-get install -y "+
			"libmaven-compiler-plugin-java libmaven-resources-plugin-java libmaven-jar-plugin-java "+
			"libmaven-install-plugin-java libmaven-deploy-plugin-java libmaven-dependency-plugin-java libsurefire-java")
	}
}

// TestMavenCompileDeployAndConsume is the whole Maven story against the fake:
// settings from `ca-helper settings --mirror`, a compile whose dependencies and
// plugins come through CodeArtifact (and its upstream), a deploy of hello-lib,
// and a second project that resolves the published hello-lib.
func TestMavenCompileDeployAndConsume(t *testing.T) {
	requireMaven(t)
	h := newHarness(t, fake.Options{UpstreamDir: debianMavenRepo})
	work := t.TempDir()
	settings := filepath.Join(work, "settings.xml")
	r := h.run("ca-helper", "settings", "--repository", "releases", "--mirror", "--settings-file", settings)
	if r.code != 0 || strings.TrimSpace(r.stdout) != settings {
		t.Fatalf("settings: %s", r)
	}
	data, _ := os.ReadFile(settings)
	if !strings.Contains(string(data), "${env.CODEARTIFACT_AUTH_TOKEN}") {
		t.Fatalf("settings.xml does not read the token from the environment:\n%s", data)
	}
	mvn := func(project, localRepo string, args ...string) {
		t.Helper()
		dir := filepath.Join(work, project)
		if !fileExists(dir) {
			copyTree(t, filepath.Join("testdata", "maven", project), dir)
		}
		r := h.runIn(dir, nil, "mvnw-ca", mavenArgs(h, settings, filepath.Join(work, localRepo), args...)...)
		if r.code != 0 {
			t.Fatalf("mvnw-ca %s in %s: %s", strings.Join(args, " "), project, r)
		}
	}

	mvn("hello-lib", "m2-publisher", "compile")
	wantUpstream(t, h.fake, "org/apache/commons/commons-lang3/3.12.0/commons-lang3-3.12.0.jar")
	wantAuthenticated(t, h.fake)

	mvn("hello-lib", "m2-publisher", "deploy", "-Dmaven.test.skip=true")
	published := filepath.Join(h.fake.StoreDir(), "releases", "com/example/hello-lib/1.0.0/hello-lib-1.0.0.jar")
	if !fileExists(published) {
		t.Fatalf("deploy did not publish %s", published)
	}

	mvn("consumer", "m2-consumer", "compile")
	if !fileExists(filepath.Join(work, "m2-consumer", "com/example/hello-lib/1.0.0/hello-lib-1.0.0.jar")) {
		t.Fatal("the consumer did not resolve hello-lib through the fake")
	}
	if n := h.fake.TokenCalls(); n != 1 {
		t.Errorf("three Maven runs made %d token calls, want 1 (cached)", n)
	}
}

// mavenArgs is a batch Maven run of the testdata projects against the fake's
// repository "releases" (their distributionManagement reads codeartifact.*),
// with settings and a local repository of the test's own, then args.
func mavenArgs(h *harness, settings, localRepo string, args ...string) []string {
	return append([]string{"-B", "-s", settings, "-Dmaven.repo.local=" + localRepo,
		"-Dcodeartifact.id=releases", "-Dcodeartifact.url=" + h.fake.URL() + "/maven/releases/"}, args...)
}

func wantUpstream(t *testing.T, f *fake.Server, path string) {
	t.Helper()
	for _, p := range f.FetchedFromUpstream() {
		if strings.HasSuffix(p, path) {
			return
		}
	}
	t.Errorf("%s was not fetched through the upstream; got %d files", path, len(f.FetchedFromUpstream()))
}

// wantAuthenticated checks that Maven's requests carried a token the fake issued.
func wantAuthenticated(t *testing.T, f *fake.Server) {
	t.Helper()
	issued := f.IssuedTokens()
	if len(issued) == 0 {
		t.Fatal("no token was issued")
	}
	ok := 0
	for _, r := range f.Requests() {
		if r.Op == fake.OpMaven && r.Status == 200 {
			if !strings.HasPrefix(issued[0], r.TokenPrefix) || r.TokenPrefix == "" {
				t.Fatalf("maven request %s carried token %q…, not the issued one", r.Path, r.TokenPrefix)
			}
			ok++
		}
	}
	if ok == 0 {
		t.Fatal("no authenticated Maven request reached the fake")
	}
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
