package test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
	"github.com/ca-helper/ca-helper/test/testenv"
)

// TestMavenUserInstall: after `ca-helper maven install`, with no project file,
// no -D option and no env var, plain mvn of every Maven in the matrix (the
// machine's 3.8.7 too) gets the token through ~/.mavenrc, and an
// IntelliJ-style import with the IDE's bundled Maven gets it through that
// Maven's lib (IntelliJ puts lib/*.jar, not lib/ext, on its importer's class
// path). One token fetch in all, no request carries the marker.
// Running it again changes nothing; `maven uninstall` undoes it, and then
// Maven sends the marker again (so it was the install that made it work).
func TestMavenUserInstall(t *testing.T) {
	in := installWithExtension(t)
	homes := append([]string{in.machineMaven}, otherMavens(t, "")...)
	h := newHarness(t, fake.Options{UpstreamDir: debianMavenRepo})
	work := t.TempDir()
	copyTree(t, filepath.Join("testdata", "maven", "hello-lib"), filepath.Join(work, "hello-lib"))
	settings := extSettings(t, h, work)

	// An IDE installed the way JetBrains Toolbox does, bundling a Maven 3.9.
	ideDirs := filepath.Join(work, "ide-apps")
	bundled := filepath.Join(ideDirs, "intellij-idea-ultimate", "plugins", "maven", "lib", "maven3")
	copyTree(t, otherMavens(t, "3")[0], bundled)
	h.env["CA_HELPER_IDE_DIRS"] = ideDirs

	caHelper := filepath.Join(in.prefix, "bin", "ca-helper") // finds the jar next to itself
	r := h.run(caHelper, "maven", "install")
	rc, props := filepath.Join(h.home, ".mavenrc"), filepath.Join(h.home, ".m2", "maven.properties")
	libExt := filepath.Join(bundled, "lib", "ca-helper-maven-extension.jar")
	if want := rc + "\n"; r.code != 0 || !strings.Contains(r.stdout, want) || !strings.Contains(r.stdout, props+"\n") ||
		!strings.Contains(r.stdout, libExt+"\n") {
		t.Fatalf("maven install: %s", r)
	}
	if again := h.run(caHelper, "maven", "install"); again.code != 0 || again.stdout != r.stdout ||
		strings.Contains(again.stderr, "wrote") {
		t.Errorf("a second maven install must change nothing: %s", again)
	}

	for i, home := range homes {
		m2 := filepath.Join(work, "m2-"+filepath.Base(home))
		r := h.runIn(filepath.Join(work, "hello-lib"), nil, filepath.Join(home, "bin", "mvn"), mavenArgs(h, settings, m2, "compile")...)
		if r.code != 0 || !strings.Contains(r.stdout, "BUILD SUCCESS") {
			t.Fatalf("%s: mvn compile after maven install: %s", home, r)
		}
		if i == 0 {
			wantAuthenticated(t, h.fake)
		}
	}
	imp := h.runIn(work, nil, "java", importArgs(t, h, bundled, "", settings, filepath.Join(work, "m2-import"), 1)...)
	if imp.code != 0 || !strings.Contains(imp.stdout, "import 1: commons-lang3-3.12.0.jar\n") {
		t.Fatalf("import with the IDE's bundled Maven: %s", imp)
	}
	wantNoMarkerSent(t, h.fake)
	if n := h.fake.TokenCalls(); n != 1 {
		t.Errorf("%d token calls for %d builds and an import, want 1 (the cache answers)", n, len(homes))
	}

	r = h.run(caHelper, "maven", "uninstall")
	if r.code != 0 {
		t.Fatalf("maven uninstall: %s", r)
	}
	for _, p := range []string{rc, props, libExt, filepath.Join(h.home, ".m2", "ext", "ca-helper-maven-extension.jar")} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s is still there after maven uninstall (%v)", p, err)
		}
	}
	before := len(h.fake.Requests())
	r = h.runIn(filepath.Join(work, "hello-lib"), nil, filepath.Join(homes[1], "bin", "mvn"),
		mavenArgs(h, settings, filepath.Join(work, "m2-after"), "compile")...)
	if r.code == 0 || len(h.fake.Requests()) == before {
		t.Errorf("after maven uninstall Maven should no longer get the token: %s", r)
	}
}

// TestMavenUserInstallKeepsUserLines: the user's own ~/.mavenrc and
// maven-user.properties lines survive install and uninstall, and a jar in a
// temporary directory that home is not in is refused with nothing written.
func TestMavenUserInstallKeepsUserLines(t *testing.T) {
	in := installWithExtension(t)
	h := newHarness(t, fake.Options{})
	h.env["CA_HELPER_IDE_DIRS"] = filepath.Join(h.home, "no-ides")
	rc, props := filepath.Join(h.home, ".mavenrc"), filepath.Join(h.home, ".m2", "maven.properties")
	writeFile(t, rc, "JAVA_HOME=/opt/jdk\n")
	writeFile(t, props, "maven.ext.class.path=/opt/other.jar\nfoo=bar\n")
	caHelper := filepath.Join(in.prefix, "bin", "ca-helper")
	if r := h.run(caHelper, "maven", "install"); r.code != 0 {
		t.Fatalf("maven install: %s", r)
	}
	gotRC, _ := os.ReadFile(rc)
	gotProps, _ := os.ReadFile(props)
	if !strings.HasPrefix(string(gotRC), "JAVA_HOME=/opt/jdk\n") || !strings.Contains(string(gotRC), "-Dmaven.ext.class.path="+in.jar) {
		t.Errorf(".mavenrc after install:\n%s", gotRC)
	}
	if want := "maven.ext.class.path=/opt/other.jar:" + in.jar + "\nfoo=bar\n"; string(gotProps) != want {
		t.Errorf("maven-user.properties after install:\n%s\nwant:\n%s", gotProps, want)
	}
	if r := h.run(caHelper, "maven", "uninstall"); r.code != 0 {
		t.Fatalf("maven uninstall: %s", r)
	}
	for path, want := range map[string]string{rc: "JAVA_HOME=/opt/jdk\n", props: "maven.ext.class.path=/opt/other.jar\nfoo=bar\n"} {
		if got, _ := os.ReadFile(path); string(got) != want {
			t.Errorf("%s after uninstall = %q, want %q", path, got, want)
		}
	}

	// The jar under a TMPDIR that home is not under: the file would outlive it.
	h.env["TMPDIR"] = in.prefix
	r := h.run(caHelper, "maven", "install")
	if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, "is in the temporary directory "+in.prefix) {
		t.Errorf("a temporary jar must be refused: %s", r)
	}
	if got, _ := os.ReadFile(rc); string(got) != "JAVA_HOME=/opt/jdk\n" {
		t.Errorf("a refused install changed .mavenrc: %q", got)
	}
}

// TestInstallKeepsTemporaryPrefixOutOfLastingRepo: install.sh with a PREFIX
// inside TMPDIR and a local repository outside it leaves the jar (which
// remembers PREFIX/bin/ca-helper) out of the repository, where it would
// outlive the ca-helper it names; a repository inside the same TMPDIR gets it.
func TestInstallKeepsTemporaryPrefixOutOfLastingRepo(t *testing.T) {
	requireMaven(t)
	testenv.Tool(t, "javac", "apt-get install -y default-jdk-headless", "-version")
	base := t.TempDir()
	tmp := filepath.Join(base, "tmp")
	root, _ := filepath.Abs("..")
	jarIn := func(repo string) string {
		return filepath.Join(repo, "io", "github", "ca-helper", "ca-helper-maven-extension", "1.0.0", "ca-helper-maven-extension-1.0.0.jar")
	}
	for _, tc := range []struct {
		name, repo string
		wantJar    bool
	}{
		{"lasting repository", filepath.Join(base, "home", ".m2", "repository"), false},
		{"repository in the same temp dir", filepath.Join(tmp, "m2"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prefix := filepath.Join(tmp, "prefix-"+strings.ReplaceAll(tc.name, " ", "-"))
			if err := os.MkdirAll(tmp, 0o755); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(filepath.Join(root, "install.sh"))
			cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + filepath.Join(base, "home"), "TMPDIR=" + tmp,
				"PREFIX=" + prefix, "CA_HELPER_MAVEN_REPO=" + tc.repo, "MAVEN_OPTS=-Duser.home=" + filepath.Join(base, "home"),
				"GOCACHE=" + goEnv(t, "GOCACHE"), "GOPATH=" + goEnv(t, "GOPATH"), "GOFLAGS=-mod=mod"}
			outb, err := cmd.CombinedOutput()
			out := string(outb)
			if err != nil {
				t.Fatalf("install.sh: %v\n%s", err, out)
			}
			if got := fileExists(jarIn(tc.repo)); got != tc.wantJar {
				t.Errorf("jar in %s: %v, want %v\n%s", tc.repo, got, tc.wantJar, out)
			}
			if warned := strings.Contains(out, "PREFIX "+prefix+" is temporary"); warned == tc.wantJar {
				t.Errorf("warning about the temporary PREFIX: %v, want %v\n%s", warned, !tc.wantJar, out)
			}
			if !fileExists(filepath.Join(prefix, "share", "ca-helper", "ca-helper-maven-extension-1.0.0.jar")) {
				t.Errorf("the jar is not in PREFIX/share/ca-helper\n%s", out)
			}
		})
	}
}
