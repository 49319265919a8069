package test

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
	"github.com/ca-helper/ca-helper/test/testenv"
)

// The coordinates every m2e-style import must bring in, and the lines
// testdata/maven/embedder/M2eImport.java prints for them.
var (
	m2eCoords = []string{"org.apache.commons:commons-lang3:3.12.0", "org.apache.maven.plugins:maven-compiler-plugin:3.10.1"}
	m2eFiles  = []string{"commons-lang3-3.12.0.jar", "maven-compiler-plugin-3.10.1.jar"}
)

// m2eSetup is what an Eclipse (or VS Code) user has before an import: the
// hello-lib project whose .mvn/extensions.xml names the extension (written by
// `ca-helper settings --extension --project`), a settings.xml with the
// marker, and a local repository holding the extension where install.sh put it.
type m2eSetup struct {
	project, settings, localRepo string
}

func newM2eSetup(t *testing.T, h *harness, in installed) m2eSetup {
	t.Helper()
	work := t.TempDir()
	s := m2eSetup{project: filepath.Join(work, "hello-lib"), localRepo: filepath.Join(work, "m2")}
	copyTree(t, filepath.Join("testdata", "maven", "hello-lib"), s.project)
	s.settings = extSettings(t, h, work, "--project", s.project)
	if b, err := os.ReadFile(filepath.Join(s.project, ".mvn", "extensions.xml")); err != nil || !strings.Contains(string(b), "ca-helper-maven-extension") {
		t.Fatalf("settings --project wrote no extension to .mvn/extensions.xml: %v\n%s", err, b)
	}
	copyTree(t, in.repo, s.localRepo)
	return s
}

// m2eHomes are the Maven 3.9 homes of the test matrix: m2e 2.11 embeds
// Maven 3.9.16, and the harness runs on the jars of a distribution.
func m2eHomes(t *testing.T) []string {
	t.Helper()
	var homes []string
	for _, h := range otherMavens(t, "3") {
		if strings.HasPrefix(filepath.Base(h), "apache-maven-3.9.") {
			homes = append(homes, h)
		}
	}
	if len(homes) == 0 {
		testenv.Missing(t, mavensVar+" names no Maven 3.9 installation; fix: "+mavensVar+"=$(.ci/mavens)")
	}
	return homes
}

// m2eImport runs testdata/maven/embedder/M2eImport.java in the project with
// the Maven jars of mh: m2e's own container with the project's core
// extensions, the import's project reads and resolutions, and never
// Maven.execute. It waits for a line on stdin before each import after the first.
func m2eImport(t *testing.T, h *harness, mh string, s m2eSetup, imports int, stdin io.Reader) result {
	t.Helper()
	prog, _ := filepath.Abs(filepath.Join("testdata", "maven", "embedder", "M2eImport.java"))
	cp := strings.Join([]string{filepath.Join(mh, "boot", "*"), filepath.Join(mh, "lib", "*"), filepath.Join(mh, "conf", "logging")}, ":")
	args := append([]string{"-cp", cp, "-Duser.home=" + h.home, prog, s.settings, s.localRepo, string(rune('0' + imports))}, m2eCoords...)
	return h.runInReader(s.project, stdin, "java", args...)
}

// wantImported: import n printed a line for each coordinate.
func wantImported(t *testing.T, r result, n int) {
	t.Helper()
	for _, f := range m2eFiles {
		if want := "import " + string(rune('0'+n)) + ": " + f + "\n"; r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Fatalf("import %d did not resolve %s: %s", n, f, r)
		}
	}
}

// TestM2eImportGetsToken: an m2e-style import, which loads the extension from
// the project's .mvn/extensions.xml and no event spy hears of, resolves the
// dependency and the plugin with the token from the extension's
// SettingsDecrypter: one token fetch, and no request carries the marker. On
// the matrix's Maven 3.9 and on the machine's Maven.
func TestM2eImportGetsToken(t *testing.T) {
	in := installWithExtension(t)
	homes := append(m2eHomes(t), in.machineMaven)
	for _, home := range homes {
		t.Run(filepath.Base(home), func(t *testing.T) {
			h := newHarness(t, fake.Options{UpstreamDir: debianMavenRepo})
			s := newM2eSetup(t, h, in)
			r := m2eImport(t, h, home, s, 1, nil)
			wantImported(t, r, 1)
			t.Logf("one import with %s took %s", home, r.took)
			wantUpstream(t, h.fake, "org/apache/commons/commons-lang3/3.12.0/commons-lang3-3.12.0.jar")
			wantUpstream(t, h.fake, "org/apache/maven/plugins/maven-compiler-plugin/3.10.1/maven-compiler-plugin-3.10.1.jar")
			wantAuthenticated(t, h.fake)
			wantNoMarkerSent(t, h.fake)
			if n := h.fake.TokenCalls(); n != 1 {
				t.Errorf("%d token calls, want 1", n)
			}
		})
	}
}

// TestM2eImportFailsLoud: without AWS credentials the import stops with
// ca-helper's own error when m2e builds its first repository session, and
// nothing reaches the repository, least of all the marker.
func TestM2eImportFailsLoud(t *testing.T) {
	in := installWithExtension(t)
	home := m2eHomes(t)[0]
	h := newHarness(t, fake.Options{UpstreamDir: debianMavenRepo})
	s := newM2eSetup(t, h, in)
	delete(h.env, "AWS_ACCESS_KEY_ID")
	delete(h.env, "AWS_SECRET_ACCESS_KEY")
	r := m2eImport(t, h, home, s, 1, nil)
	if r.code == 0 || !strings.Contains(r.stdout+r.stderr, "ca-helper: no CodeArtifact token for server releases") {
		t.Fatalf("want the import to stop with ca-helper's error: %s", r)
	}
	if strings.Contains(r.stdout, "import 1:") {
		t.Errorf("the import resolved something without a token: %s", r)
	}
	wantNoMarkerSent(t, h.fake)
	for _, req := range h.fake.Requests() {
		if req.Op == fake.OpMaven {
			t.Errorf("%s %s reached the repository without a token", req.Method, req.Path)
		}
	}
}

// TestM2eImportLongLived: one IDE process, two imports of the same project
// with the container m2e keeps per project root; the cached token is erased
// in between, and the second import gets (and sends) a new one.
func TestM2eImportLongLived(t *testing.T) {
	in := installWithExtension(t)
	home := m2eHomes(t)[0]
	h := newHarness(t, fake.Options{UpstreamDir: debianMavenRepo})
	s := newM2eSetup(t, h, in)
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	var r result
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		defer pr.Close()
		r = m2eImport(t, h, home, s, 2, pr)
	}()
	downloaded := filepath.Join(s.localRepo, "org")
	waitFor(t, "the first import", func() bool {
		select {
		case <-exited:
			t.Fatalf("the importer exited during the first import: %s", r)
		default:
		}
		return fileExists(s.localRepo + ".ready")
	})
	// The second import downloads again; the extension stays where install.sh put it.
	os.RemoveAll(downloaded)
	if r := h.run("ca-helper", "erase"); r.code != 0 {
		t.Fatalf("erase: %s", r)
	}
	pw.Write([]byte("next\n"))
	pw.Close()
	<-exited
	wantImported(t, r, 1)
	wantImported(t, r, 2)
	wantNewTokenSecondTime(t, h.fake)
}
