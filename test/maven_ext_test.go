package test

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
	"github.com/ca-helper/ca-helper/test/testenv"
)

// installed is what one run of install.sh laid out for the Maven extension
// tests: a prefix, a local repository holding only the extension (as in a
// developer's ~/.m2/repository), and a copy of the machine's Maven whose
// lib/ext holds it (CA_HELPER_MAVEN_EXT_DIR).
type installed struct {
	prefix, repo, mavenHome, jar string
	machineMaven                 string // the Maven home mavenHome shares its jars with
}

var (
	installOnce sync.Once
	installDone installed
	installErr  string
)

// installWithExtension runs install.sh once for all extension tests.
func installWithExtension(t *testing.T) installed {
	t.Helper()
	requireMaven(t)
	testenv.Tool(t, "javac", "apt-get install -y default-jdk-headless", "-version")
	installOnce.Do(func() {
		base := filepath.Join(binDir, "install")
		in := installed{prefix: filepath.Join(base, "prefix"), repo: filepath.Join(base, "m2"), mavenHome: filepath.Join(base, "maven")}
		home, err := mavenHomeCopy(in.mavenHome)
		if err != nil {
			installErr = err.Error()
			return
		}
		root, _ := filepath.Abs("..")
		cmd := exec.Command(filepath.Join(root, "install.sh"))
		cmd.Dir = root
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + base, "PREFIX=" + in.prefix,
			"GOCACHE=" + goEnv(t, "GOCACHE"), "GOPATH=" + goEnv(t, "GOPATH"), "GOFLAGS=-mod=mod",
			"MAVEN_HOME=" + home, "MAVEN_OPTS=-Duser.home=" + base, "CA_HELPER_MAVEN_REPO=" + in.repo, "CA_HELPER_MAVEN_EXT_DIR=" + filepath.Join(in.mavenHome, "lib", "ext")}
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "installed the Maven extension into "+filepath.Join(in.mavenHome, "lib", "ext")) {
			installErr = "install.sh: " + string(out)
			return
		}
		in.jar = filepath.Join(in.prefix, "share", "ca-helper", "ca-helper-maven-extension-1.0.0.jar")
		in.machineMaven = home
		installDone = in
	})
	if installErr != "" {
		t.Fatal(installErr)
	}
	return installDone
}

// mavenHomeCopy makes dst a Maven installation of its own that shares the
// machine's jars: the launcher scripts copied (they find their home from
// their own path), everything else linked, and an empty lib/ext. It returns
// the machine's Maven home.
func mavenHomeCopy(dst string) (string, error) {
	out, err := exec.Command("mvn", "-v").Output()
	if err != nil {
		return "", err
	}
	var src string
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "Maven home: "); ok {
			src = strings.TrimSpace(v)
		}
	}
	for _, dir := range []string{"bin", "lib/ext"} {
		if err := os.MkdirAll(filepath.Join(dst, dir), 0o755); err != nil {
			return "", err
		}
	}
	for _, dir := range []string{"boot", "conf"} {
		if err := os.Symlink(filepath.Join(src, dir), filepath.Join(dst, dir)); err != nil {
			return "", err
		}
	}
	jars, _ := filepath.Glob(filepath.Join(src, "lib", "*.jar"))
	for _, j := range jars {
		if err := os.Symlink(j, filepath.Join(dst, "lib", filepath.Base(j))); err != nil {
			return "", err
		}
	}
	scripts, _ := filepath.Glob(filepath.Join(src, "bin", "*"))
	for _, s := range scripts {
		b, err := os.ReadFile(s)
		if err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(dst, "bin", filepath.Base(s)), b, 0o755); err != nil {
			return "", err
		}
	}
	return src, nil
}

// extSettings writes a settings.xml whose server password is a {ca-helper}
// marker, with `ca-helper settings --extension` and the extra args.
func extSettings(t *testing.T, h *harness, dir string, args ...string) string {
	t.Helper()
	settings := filepath.Join(dir, "settings.xml")
	r := h.run("ca-helper", append([]string{"settings", "--repository", "releases", "--mirror", "--extension",
		"--settings-file", settings}, args...)...)
	if r.code != 0 {
		t.Fatalf("settings --extension: %s", r)
	}
	data, _ := os.ReadFile(settings)
	if !strings.Contains(string(data), "<password>{[name=ca-helper,version=1]--domain demo --domain-owner "+testOwner+" --region us-east-1}</password>") {
		t.Fatalf("settings.xml has no ca-helper marker:\n%s", data)
	}
	return settings
}

// TestMavenExtensionPlainMvn: plain `mvn`, no env var and no wrapper, once
// through a Maven installation's lib/ext and once through a project's
// .mvn/extensions.xml; compile, deploy, consume, one token fetch in all,
// shared with the shell's `ca-helper get`.
func TestMavenExtensionPlainMvn(t *testing.T) {
	in := installWithExtension(t)
	h := newHarness(t, fake.Options{UpstreamDir: debianMavenRepo})
	work := t.TempDir()
	for _, p := range []string{"hello-lib", "consumer"} {
		copyTree(t, filepath.Join("testdata", "maven", p), filepath.Join(work, p))
	}
	settings := extSettings(t, h, work, "--project", filepath.Join(work, "consumer"))
	consumerRepo := filepath.Join(work, "m2-consumer")
	copyTree(t, in.repo, consumerRepo) // what install.sh put into the developer's local repository
	shellToken := h.mustGet()

	var output strings.Builder
	mvn := func(maven, project, localRepo string, args ...string) result {
		t.Helper()
		r := h.runIn(filepath.Join(work, project), nil, maven, mavenArgs(h, settings, localRepo, args...)...)
		output.WriteString(r.stdout + r.stderr)
		if r.code != 0 {
			t.Fatalf("%s %s in %s: %s", maven, strings.Join(args, " "), project, r)
		}
		return r
	}
	libExtMvn := filepath.Join(in.mavenHome, "bin", "mvn")
	mvn(libExtMvn, "hello-lib", filepath.Join(work, "m2-publisher"), "compile")
	wantUpstream(t, h.fake, "org/apache/commons/commons-lang3/3.12.0/commons-lang3-3.12.0.jar")
	wantAuthenticated(t, h.fake)
	mvn(libExtMvn, "hello-lib", filepath.Join(work, "m2-publisher"), "deploy", "-Dmaven.test.skip=true")
	if !fileExists(filepath.Join(h.fake.StoreDir(), "releases", "com/example/hello-lib/1.0.0/hello-lib-1.0.0.jar")) {
		t.Fatal("plain mvn deploy did not publish hello-lib")
	}

	mvn("mvn", "consumer", consumerRepo, "-X", "compile") // -X: the token must not show in debug output either
	if !fileExists(filepath.Join(consumerRepo, "com/example/hello-lib/1.0.0/hello-lib-1.0.0.jar")) {
		t.Fatal("the consumer did not resolve hello-lib through the fake")
	}
	if n := h.fake.TokenCalls(); n != 1 {
		t.Errorf("a shell get and three Maven runs made %d token calls, want 1 (one shared cache)", n)
	}
	if again := h.mustGet(); again != shellToken {
		t.Error("the shell's token changed after the Maven runs")
	}
	wantNoMarkerSent(t, h.fake)
	needles := leakNeedles(h.fake.IssuedTokens())
	if leak := findLeak(output.String(), needles); leak != "" {
		t.Errorf("Maven's output holds token text %q", leak)
	}
	filepath.WalkDir(work, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if b, _ := os.ReadFile(p); findLeak(string(b), needles) != "" {
				t.Errorf("%s holds token text", p)
			}
		}
		return nil
	})
}

// wantNoMarkerSent: no request carried the {ca-helper} marker as a password.
func wantNoMarkerSent(t *testing.T, f *fake.Server) {
	t.Helper()
	for _, r := range f.Requests() {
		if strings.HasPrefix(r.TokenPrefix, "{") {
			t.Fatalf("%s %s carried the marker %q… as its password", r.Method, r.Path, r.TokenPrefix)
		}
	}
}
