package test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
	"github.com/ca-helper/ca-helper/test/testenv"
)

// mavensVar lists Maven homes to test besides the machine's own mvn; .ci/mavens
// downloads them with Maven's own client and .ci/run sets it.
const mavensVar = "CA_HELPER_TEST_MAVENS"

// otherMavens are the homes of mavensVar of the given major version ("3",
// "4"), or of any version for "".
func otherMavens(t *testing.T, major string) []string {
	t.Helper()
	var homes []string
	for _, h := range filepath.SplitList(os.Getenv(mavensVar)) {
		if h != "" && strings.HasPrefix(strings.TrimPrefix(filepath.Base(h), "apache-maven-"), major) {
			homes = append(homes, h)
		}
	}
	if len(homes) == 0 {
		testenv.Missing(t, mavensVar+" names no Maven "+major+" installation; fix: "+mavensVar+"=$(.ci/mavens) (downloads Maven 3.9, 3.10 and 4.0)")
	}
	return homes
}

// TestMavenVersionsWithExtension: on each Maven 3 of the matrix an
// IntelliJ-style import gets the token from the extension, loaded through
// -Dmaven.ext.class.path (the importer's VM options): one token fetch, no
// request carries the marker. TestMavenMatrix runs the command line.
func TestMavenVersionsWithExtension(t *testing.T) {
	homes := otherMavens(t, "3")
	in := installWithExtension(t)
	for _, home := range homes {
		t.Run(filepath.Base(home), func(t *testing.T) {
			h := newHarness(t, fake.Options{UpstreamDir: debianMavenRepo})
			work := t.TempDir()
			settings := extSettings(t, h, work)
			idea := in
			idea.machineMaven = home
			r := ideaImport(t, h, idea, work, settings, 1, nil)
			if r.code != 0 || !strings.Contains(r.stdout, "import 1: commons-lang3-3.12.0.jar") {
				t.Fatalf("IntelliJ-style import: %s", r)
			}
			wantAuthenticated(t, h.fake)
			wantNoMarkerSent(t, h.fake)
			if n := h.fake.TokenCalls(); n != 1 {
				t.Errorf("%d token calls for an import, want 1", n)
			}
		})
	}
}

// TestMavenSettingsPerVersion: the ${env.…} settings that `ca-helper settings
// --mirror --publish` writes, run through mvnw-ca (CA_HELPER_MVN picks the
// Maven) on the machine's Maven 3.8 and every Maven of the matrix, with
// Maven 3.10's strict credential scope: a cold compile and a deploy of a
// project with no <distributionManagement>. Every request carries the
// credentials the first time (no 401), the artifact lands in the fake's
// repository, and no Maven warns about a key it does not know or about
// the credential scope.
func TestMavenSettingsPerVersion(t *testing.T) {
	homes := append([]string{installWithExtension(t).machineMaven}, otherMavens(t, "")...)
	for _, home := range homes {
		t.Run(filepath.Base(home), func(t *testing.T) {
			t.Parallel() // each Maven has its own fake, home and local repository
			h := newHarness(t, fake.Options{UpstreamDir: debianMavenRepo})
			work := t.TempDir()
			project := filepath.Join(work, "hello-lib")
			copyTree(t, filepath.Join("testdata", "maven", "hello-lib"), project)
			withoutDistributionManagement(t, filepath.Join(project, "pom.xml"))
			settings := filepath.Join(work, "settings.xml")
			if r := h.run("ca-helper", "settings", "--repository", "releases", "--mirror", "--publish", "--settings-file", settings); r.code != 0 {
				t.Fatalf("settings: %s", r)
			}
			h.env["CA_HELPER_MVN"] = filepath.Join(home, "bin", "mvn")
			var output strings.Builder
			for _, goal := range []string{"compile", "deploy"} {
				r := h.runIn(project, nil, "mvnw-ca", mavenArgs(h, settings, filepath.Join(work, "m2"),
					"-V", "-Dmaven.repository.credentialScope=strict", "-Dmaven.test.skip=true", goal)...)
				output.WriteString(r.stdout + r.stderr)
				version := "Apache Maven " + strings.TrimPrefix(filepath.Base(home), "apache-maven-")
				if home == installWithExtension(t).machineMaven {
					version = "Apache Maven 3.8"
				}
				if r.code != 0 || !strings.Contains(r.stdout, "BUILD SUCCESS") || !strings.Contains(r.stdout, version) {
					t.Fatalf("mvnw-ca %s with %s: %s", goal, home, r)
				}
			}
			if !fileExists(filepath.Join(h.fake.StoreDir(), "releases", "com/example/hello-lib/1.0.0/hello-lib-1.0.0.jar")) {
				t.Fatal("mvn deploy did not publish hello-lib to the repository --publish named")
			}
			wantAuthenticated(t, h.fake)
			files, challenges := 0, 0
			for _, r := range h.fake.Requests() {
				if r.Op == fake.OpMaven {
					files++
					if r.Status == 401 {
						challenges++
					}
				}
			}
			t.Logf("%d repository requests, %d answered 401", files, challenges)
			if challenges > 0 {
				t.Errorf("%d of %d repository requests were answered 401, want 0 (preemptive auth)", challenges, files)
			}
			if n := h.fake.TokenCalls(); n != 1 {
				t.Errorf("%d token calls, want 1", n)
			}
			for _, line := range strings.Split(output.String(), "\n") {
				if strings.Contains(line, "WARN") && (strings.Contains(line, "credentials of server") || strings.Contains(line, "aether") ||
					strings.Contains(line, "Unrecognised") || strings.Contains(line, "legacy syntax") || strings.Contains(line, "Unknown")) {
					t.Errorf("Maven warned: %s", line)
				}
			}
		})
	}
}

// withoutDistributionManagement drops the <distributionManagement> element
// from the POM at path, so only settings can say where deploy goes.
func withoutDistributionManagement(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pom := string(b)
	i, j := strings.Index(pom, "<distributionManagement>"), strings.Index(pom, "</distributionManagement>")
	if i < 0 || j < i {
		t.Fatalf("%s has no <distributionManagement>", path)
	}
	if err := os.WriteFile(path, []byte(pom[:i]+pom[j+len("</distributionManagement>"):]), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestMaven4Dispatcher: Maven 4 decrypts settings passwords while it builds
// settings, for the command line and importers alike, and hands
// {[name=ca-helper,version=1]FLAGS} to the extension's dispatcher, loaded
// per user through -Dmaven.ext.class.path. One token fetch, no request
// carries the marker; without credentials Maven stops with ca-helper's error.
func TestMaven4Dispatcher(t *testing.T) {
	homes := otherMavens(t, "4")
	// The same jar as every Maven 3 test: install.sh built it with the
	// machine's Maven 3, against a stand-in for Maven 4's dispatcher API.
	jar := installWithExtension(t).jar
	for _, home := range homes {
		t.Run(filepath.Base(home), func(t *testing.T) {
			h := newHarness(t, fake.Options{UpstreamDir: debianMavenRepo})
			work := t.TempDir()
			copyTree(t, filepath.Join("testdata", "maven", "hello-lib"), filepath.Join(work, "hello-lib"))
			settings := extSettings(t, h, work) // the marker `ca-helper settings --extension` writes
			mvn := func(m2 string) result {
				return h.runIn(filepath.Join(work, "hello-lib"), nil, filepath.Join(home, "bin", "mvn"),
					mavenArgs(h, settings, filepath.Join(work, m2), "-Dmaven.ext.class.path="+jar, "compile")...)
			}
			if r := mvn("m2"); r.code != 0 || !strings.Contains(r.stdout, "BUILD SUCCESS") {
				t.Fatalf("Maven 4 compile with the dispatcher: %s", r)
			}
			wantAuthenticated(t, h.fake)
			wantNoMarkerSent(t, h.fake)
			if n := h.fake.TokenCalls(); n != 1 {
				t.Errorf("%d token calls, want 1", n)
			}

			// The project's .mvn/extensions.xml alone is too late for Maven 4: it
			// decrypts settings first (docs/maven.md: use `ca-helper maven install`).
			extSettings(t, h, work, "--project", filepath.Join(work, "hello-lib"))
			projRepo := filepath.Join(work, "m2-project")
			copyTree(t, installWithExtension(t).repo, projRepo)
			r := h.runIn(filepath.Join(work, "hello-lib"), nil, filepath.Join(home, "bin", "mvn"), mavenArgs(h, settings, projRepo, "compile")...)
			if r.code == 0 || !strings.Contains(r.stdout+r.stderr, "Could not decrypt password") {
				t.Errorf("Maven 4 with the extension only in .mvn/extensions.xml: %s", r)
			}
			os.RemoveAll(filepath.Join(work, "hello-lib", ".mvn"))

			h.run("ca-helper", "erase", "--all")
			delete(h.env, "AWS_ACCESS_KEY_ID")
			delete(h.env, "AWS_SECRET_ACCESS_KEY")
			before := len(h.fake.Requests())
			r = mvn("m2-empty")
			if r.code == 0 || !strings.Contains(r.stdout+r.stderr, "ca-helper: no CodeArtifact token") {
				t.Fatalf("without credentials Maven 4 must stop with ca-helper's error: %s", r)
			}
			if len(h.fake.Requests()) != before {
				t.Error("Maven 4 reached the repository without a token")
			}
		})
	}
}
