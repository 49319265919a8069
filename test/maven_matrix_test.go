package test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// The ways the extension reaches Maven, per user or per project.
const (
	routeExtClassPath = "ext-class-path"  // -Dmaven.ext.class.path=JAR (MAVEN_ARGS, an importer's VM options)
	routeProject      = "project"         // .mvn/extensions.xml; Maven 3 only (Maven 4 reads settings first)
	routeUser         = "mavenrc"         // `ca-helper maven install`: ~/.mavenrc
	routeUserProps    = "user-properties" // `ca-helper maven install`: Maven 4 user properties (~/.m2/maven.properties in 4.0.0-rc); Maven 4 only
)

// matrixCase is one Maven, transport and install route.
type matrixCase struct {
	home, transport, route string
}

func (c matrixCase) name() string {
	n := strings.TrimPrefix(filepath.Base(c.home), "apache-maven-") + "/" + c.route
	if c.transport != "" {
		n += "/" + c.transport
	}
	return n
}

// matrixCases: every Maven of the matrix with every route it supports; 3.9
// and later also with the wagon transport on the one route that needs no set-up.
func matrixCases(t *testing.T, machine string) []matrixCase {
	cases := []matrixCase{{home: machine, route: routeUser}} // Debian's 3.8.7 has its own suite for the other routes
	for _, home := range otherMavens(t, "") {
		if strings.HasPrefix(filepath.Base(home), "apache-maven-4") {
			cases = append(cases, matrixCase{home: home, route: routeExtClassPath}, matrixCase{home: home, route: routeUser},
				matrixCase{home: home, route: routeUserProps}, matrixCase{home: home, route: routeProject})
			continue
		}
		cases = append(cases, matrixCase{home: home, route: routeExtClassPath}, matrixCase{home: home, route: routeExtClassPath, transport: "wagon"},
			matrixCase{home: home, route: routeProject}, matrixCase{home: home, route: routeUser})
	}
	return cases
}

// TestMavenMatrix: on each Maven, transport and install route, plain mvn
// compiles a library, deploys it to the fake's repository, and a consumer
// compiles against it from a clean local repository, under Maven 3.10's
// strict credential scope, with no request answered 401. The password is the
// marker `ca-helper settings --extension` writes and nothing else is set: one
// token fetch per case, no request carries the marker, no run prints the token.
func TestMavenMatrix(t *testing.T) {
	in := installWithExtension(t)
	for _, c := range matrixCases(t, in.machineMaven) {
		t.Run(c.name(), func(t *testing.T) {
			t.Parallel() // each case has its own fake, home and local repositories
			h := newHarness(t, fake.Options{UpstreamDir: debianMavenRepo})
			work := t.TempDir()
			for _, p := range []string{"hello-lib", "consumer"} {
				copyTree(t, filepath.Join("testdata", "maven", p), filepath.Join(work, p))
			}
			settings := extSettings(t, h, work)
			publisherRepo, consumerRepo := filepath.Join(work, "m2-publisher"), filepath.Join(work, "m2-consumer")
			var extra []string
			switch c.route {
			case routeExtClassPath:
				extra = append(extra, "-Dmaven.ext.class.path="+in.jar)
			case routeProject:
				if strings.HasPrefix(filepath.Base(c.home), "apache-maven-4") {
					// Maven 4 needs the dispatcher before it reads the project's
					// extensions.xml: in its core, from ~/.m2/ext.
					installForUser(t, h, in, work)
				}
				for _, p := range []string{"hello-lib", "consumer"} {
					extSettings(t, h, work, "--project", filepath.Join(work, p))
				}
				// Where install.sh put the extension: the developer's local repository.
				copyTree(t, in.repo, publisherRepo)
				copyTree(t, in.repo, consumerRepo)
			case routeUser, routeUserProps:
				installForUser(t, h, in, work)
				if c.route == routeUserProps {
					// Only Maven 4's user properties: no ~/.m2/ext, no ~/.mavenrc.
					os.Remove(filepath.Join(h.home, ".m2", "ext", "ca-helper-maven-extension.jar"))
					h.env["MAVEN_SKIP_RC"] = "true"
				}
			}
			if c.transport != "" {
				extra = append(extra, "-Dmaven.resolver.transport="+c.transport)
			}
			// Maven 3.10's strictest credential scope: the server's credentials go
			// only to repositories declared for its id in settings. The settings
			// declare the repository, and the POM's distributionManagement uses
			// the same id and URL, so deploy gets them too. Others ignore it.
			extra = append(extra, "-Dmaven.repository.credentialScope=strict")
			var output strings.Builder
			mvn := func(project, localRepo string, args ...string) {
				t.Helper()
				r := h.runIn(filepath.Join(work, project), nil, filepath.Join(c.home, "bin", "mvn"),
					mavenArgs(h, settings, localRepo, append(extra, args...)...)...)
				output.WriteString(r.stdout + r.stderr)
				if r.code != 0 || !strings.Contains(r.stdout, "BUILD SUCCESS") {
					t.Fatalf("mvn %s in %s: %s", strings.Join(args, " "), project, r)
				}
			}
			mvn("hello-lib", publisherRepo, "compile")
			mvn("hello-lib", publisherRepo, "deploy", "-Dmaven.test.skip=true")
			if !fileExists(filepath.Join(h.fake.StoreDir(), "releases", "com/example/hello-lib/1.0.0/hello-lib-1.0.0.jar")) {
				t.Fatal("mvn deploy did not publish hello-lib")
			}
			mvn("consumer", consumerRepo, "compile")
			if !fileExists(filepath.Join(consumerRepo, "com/example/hello-lib/1.0.0/hello-lib-1.0.0.jar")) {
				t.Fatal("the consumer did not resolve hello-lib through the fake")
			}
			challenges := 0
			for _, r := range h.fake.Requests() {
				if r.Op == fake.OpMaven && r.Status == 401 {
					challenges++
				}
			}
			// The settings carry preemptive auth for every transport: the
			// server's httpConfiguration for wagon (3.8, 3.9+ with
			// transport=wagon), the profile's per-repository preemptiveAuth
			// properties for the native ones. No request pays a 401 first.
			if challenges > 0 {
				t.Errorf("%d requests answered 401 over three builds, want 0 (preemptive auth)", challenges)
			}
			wantAuthenticated(t, h.fake)
			wantNoMarkerSent(t, h.fake)
			if n := h.fake.TokenCalls(); n != 1 {
				t.Errorf("%d token calls for three builds, want 1 (the cache answers)", n)
			}
			if leak := findLeak(output.String(), leakNeedles(h.fake.IssuedTokens())); leak != "" {
				t.Errorf("Maven's output holds token text %q", leak)
			}
			if strings.Contains(output.String(), "credentials of server") {
				t.Errorf("Maven warned about the credential scope:\n%s", output.String())
			}
			if deprecated := strings.Contains(output.String(), "'maven.ext.class.path' has been set using a JVM system property"); deprecated {
				t.Errorf("Maven warned that the ext class path came as a JVM option")
			}
			if _, err := os.Stat(filepath.Join(work, "hello-lib", ".mvn")); (err == nil) != (c.route == routeProject) {
				t.Errorf("the project has .mvn: %v, want it only for the project route", err == nil)
			}
		})
	}
}

// installForUser runs `ca-helper maven install` for the harness's user, with
// no IDE to find.
func installForUser(t *testing.T, h *harness, in installed, work string) {
	t.Helper()
	h.env["CA_HELPER_IDE_DIRS"] = filepath.Join(work, "no-ides")
	if r := h.run(filepath.Join(in.prefix, "bin", "ca-helper"), "maven", "install"); r.code != 0 {
		t.Fatalf("maven install: %s", r)
	}
}
