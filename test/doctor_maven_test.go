package test

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/helper/maven"
	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// TestDoctorMavenExtension walks the maven check through a user's set-up: a
// marker server with no extension, a project naming the extension before the
// jar is in the local repository (Maven cannot start: fail), the project
// loading it, the per-user install of `ca-helper maven install` (with its jar
// gone, then there), and a Maven installation whose lib/ext holds it.
func TestDoctorMavenExtension(t *testing.T) {
	h := newHarness(t, fake.Options{})
	h.env["CODEARTIFACT_REPOSITORY"] = "releases"
	h.env["MAVEN_HOME"] = filepath.Join(h.home, "maven") // no lib/ext yet
	settings := filepath.Join(h.home, ".m2", "settings.xml")
	writeFile(t, settings, "<settings><servers><server><id>releases</id><password>{ca-helper}</password></server>"+
		"<server><id>other</id><password>s3cret-of-other</password></server></servers></settings>")
	project := filepath.Join(h.home, "project")
	sub := filepath.Join(project, "module")
	if err := os.MkdirAll(filepath.Join(project, ".mvn"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	repoJar := filepath.Join(h.home, ".m2", "repository", "io", "github", "ca-helper", "ca-helper-maven-extension", "1.0.0",
		"ca-helper-maven-extension-1.0.0.jar")
	libExt := filepath.Join(h.home, "maven", "lib", "ext", "ca-helper-maven-extension.jar")
	extensions := filepath.Join(project, ".mvn", "extensions.xml")

	steps := []struct {
		name    string
		prepare func()
		status  string
		detail  string
		code    int
	}{
		{"nothing installed", func() {}, "warn",
			"server releases has a ca-helper marker password but the Maven extension is not installed", 0},
		{"project names the extension, jar not installed", func() {
			if r := h.run("ca-helper", "settings", "--repository", "releases", "--extension", "--project", project,
				"--settings-file", settings); r.code != 0 {
				t.Fatalf("settings --extension: %s", r)
			}
		}, "fail", extensions + " loads the ca-helper Maven extension, but " + repoJar + " is missing: Maven stops", 1},
		{"project loads it", func() { writeFile(t, repoJar, "jar") }, "ok",
			"server releases: " + extensions + " loads the Maven extension from " + repoJar, 0},
		{"in the local repository, project without extensions.xml", func() { os.Remove(extensions) }, "warn",
			"but " + extensions + " does not load it: Maven here sends the marker and gets a 401", 0},
		{"per user, the jar gone", func() {
			rc, err := maven.MergeMavenrc(nil, filepath.Join(h.home, "gone", "x.jar"))
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(h.home, ".mavenrc"), string(rc))
		}, "warn", "~/.mavenrc loads the Maven extension from " + filepath.Join(h.home, "gone", "x.jar") + ", which is gone", 0},
		{"per user", func() {
			h.env["CA_HELPER_IDE_DIRS"] = filepath.Join(h.home, "no-ides")
			if r := h.run("ca-helper", "maven", "install", "--jar", repoJar); r.code != 0 {
				t.Fatalf("maven install: %s", r)
			}
		}, "ok", "server releases: ~/.mavenrc loads the Maven extension from " + repoJar, 0},
		{"lib/ext of MAVEN_HOME", func() { writeFile(t, libExt, "jar") }, "ok",
			"server releases: the Maven extension is in " + libExt, 0},
		{"the jar remembers a ca-helper that is gone", func() { rememberingJar(t, libExt, filepath.Join(h.home, "gone", "ca-helper")) },
			"fail", "the Maven extension runs " + filepath.Join(h.home, "gone", "ca-helper") + ", which fails", 1},
		{"the jar remembers the installed ca-helper", func() { rememberingJar(t, libExt, filepath.Join(binDir, "ca-helper")) },
			"ok", "server releases: the Maven extension is in " + libExt, 0},
	}
	for _, st := range steps {
		st.prepare()
		r := h.runIn(sub, nil, filepath.Join(binDir, "ca-helper"), "doctor")
		checks, _ := parseDoctor(t, r.stdout)
		c := checks["maven"]
		if strings.Contains(r.stdout+r.stderr, "s3cret-of-other") {
			t.Errorf("%s: doctor printed another server's password", st.name)
		}
		if r.code != st.code || c.status != st.status || !strings.Contains(c.detail, st.detail) {
			t.Errorf("%s: maven %s %q (fix %q), exit %d; want %s with %q\n%s", st.name, c.status, c.detail, c.fix, r.code, st.status, st.detail, r.stdout)
		}
	}
}

// rememberingJar writes a jar that remembers path as its ca-helper, as
// maven-extension/build.sh records the one install.sh installed.
func rememberingJar(t *testing.T, jar, path string) {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create("io/github/cahelper/maven/ca-helper.properties")
	if err == nil {
		_, err = w.Write([]byte("path=" + path + "\n"))
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, jar, b.String())
}
