package test

import (
	"archive/zip"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// TestReleaseInstall: `curl … get.sh | sh -s -- --add-to-path` on a machine
// with no Go, git, Maven or JDK on PATH installs a release served on
// 127.0.0.1 into the same tree, with the same messages, as the source
// install.sh; the installed ca-helper gets a token from the fake, and plain
// mvn, with no ca-helper on its PATH and no token in its environment, builds
// through the fake with the extension install.sh put into the local repository
// (which finds ca-helper through the path stamped into the jar).
func TestReleaseInstall(t *testing.T) {
	out := releaseDir(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	t.Cleanup(srv.Close)
	getSh, err := os.ReadFile(filepath.Join(out, "get.sh")) // as the release serves it
	if err != nil {
		t.Fatal(err)
	}

	h := newHarness(t, fake.Options{UpstreamDir: debianMavenRepo})
	prefix := filepath.Join(h.home, "prefix")
	tools := toolPath(t, append(getShTools, "curl")...)
	h.env["PATH"] = tools
	h.env["PREFIX"] = prefix
	h.env["TMPDIR"] = mkdir(t, filepath.Join(h.home, "tmp"))
	h.env["CA_HELPER_RELEASE_URL"] = srv.URL + "/"
	r := h.runIn(h.home, getSh, filepath.Join(tools, "sh"), "-s", "--", "--add-to-path") // as piped from curl
	if r.code != 0 || r.stdout != "" || !strings.Contains(r.stderr, "get.sh: checksum OK") {
		t.Fatalf("get.sh: %s", r)
	}

	src := newHarness(t, fake.Options{})
	src.env["PREFIX"] = filepath.Join(src.home, "prefix")
	src.env["TMPDIR"] = mkdir(t, filepath.Join(src.home, "tmp"))
	for _, name := range []string{"GOCACHE", "GOPATH", "GOMODCACHE"} {
		src.env[name] = goEnv(t, name)
	}
	src.env["GOFLAGS"] = "-mod=mod"
	root, _ := filepath.Abs("..")
	rs := src.runIn(root, nil, filepath.Join(root, "install.sh"), "--add-to-path")
	if rs.code != 0 {
		t.Fatalf("source install.sh: %s", rs)
	}
	got, want := installedTree(t, h.home), installedTree(t, src.home)
	if testing.Verbose() {
		t.Logf("installed:\n%s\nget.sh said:\n%s", strings.Join(got, "\n"), r.stderr)
	}
	if !slices.Equal(got, want) {
		t.Errorf("the release install laid out\n%s\nthe source install\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, entry := range []string{
		"prefix/bin/ca-helper 0755", "prefix/bin/ca-helper-aws 0755", "prefix/bin/mvnw-ca 0755",
		"prefix/bin/git-credential-codeartifact -> ca-helper", "prefix/bin/bazel-credential-codeartifact -> ca-helper",
		"prefix/share/ca-helper/ca-helper-maven-extension-1.0.0.jar 0644", "prefix/share/ca-helper/ca-helper-maven-extension-1.0.0.pom 0644",
		".m2/repository/io/github/ca-helper/ca-helper-maven-extension/1.0.0/ca-helper-maven-extension-1.0.0.jar 0644",
		".m2/repository/io/github/ca-helper/ca-helper-maven-extension/1.0.0/ca-helper-maven-extension-1.0.0.pom 0644",
		".local/share/bash-completion/completions/ca-helper 0644", ".local/share/zsh/site-functions/_ca-helper 0644",
		".config/fish/completions/ca-helper.fish 0644", ".profile 0644", "tmp/ d0755",
	} {
		if !slices.Contains(got, entry) {
			t.Errorf("the release install lacks %s", entry)
		}
	}
	if g, w := installMessages(r.stderr, h.home), installMessages(rs.stderr, src.home); !slices.Equal(g, w) {
		t.Errorf("install.sh said from the release:\n%s\nfrom source:\n%s", strings.Join(g, "\n"), strings.Join(w, "\n"))
	}
	caHelper := filepath.Join(prefix, "bin", "ca-helper")
	for _, jar := range []string{
		filepath.Join(prefix, "share", "ca-helper", "ca-helper-maven-extension-1.0.0.jar"),
		filepath.Join(h.home, ".m2", "repository", "io", "github", "ca-helper", "ca-helper-maven-extension", "1.0.0", "ca-helper-maven-extension-1.0.0.jar"),
	} {
		if props := jarEntry(t, jar, "io/github/cahelper/maven/ca-helper.properties"); props != "path="+caHelper+"\n" {
			t.Errorf("%s remembers %q, want path=%s", jar, props, caHelper)
		}
	}

	r = h.run(caHelper, "get", "--domain", "my-domain", "--domain-owner", testOwner)
	if r.code != 0 || !h.fake.ValidToken(strings.TrimSpace(r.stdout)) {
		t.Fatalf("installed ca-helper get: %s", r)
	}

	// Plain mvn: PATH without ca-helper, no token in the environment.
	mvn, _ := exec.LookPath("mvn")
	h.env["PATH"] = filepath.Dir(mvn) + ":/usr/bin:/bin"
	if out, err := runCmdEnv([]string{"PATH=" + h.env["PATH"]}, "/bin/sh", "-c", "command -v ca-helper"); err == nil {
		t.Fatalf("ca-helper is on %s (%s): the test cannot tell whether the jar found it", h.env["PATH"], out)
	}
	work := t.TempDir()
	copyTree(t, filepath.Join("testdata", "maven", "hello-lib"), filepath.Join(work, "hello-lib"))
	settings := filepath.Join(work, "settings.xml")
	r = h.run(caHelper, "settings", "--repository", "releases", "--mirror", "--extension", "--settings-file", settings,
		"--project", filepath.Join(work, "hello-lib"))
	if r.code != 0 {
		t.Fatalf("settings --extension: %s", r)
	}
	r = h.runIn(filepath.Join(work, "hello-lib"), nil, mvn,
		mavenArgs(h, settings, filepath.Join(h.home, ".m2", "repository"), "compile")...)
	if r.code != 0 || !strings.Contains(r.stdout, "BUILD SUCCESS") {
		t.Fatalf("mvn compile with the released extension: %s", r)
	}
	wantUpstream(t, h.fake, "org/apache/commons/commons-lang3/3.12.0/commons-lang3-3.12.0.jar")
	wantAuthenticated(t, h.fake)
	wantNoMarkerSent(t, h.fake)
}

// installedTree lists what is under home: "path mode", "path -> target" for
// a link, "path/ dMODE" for a directory; the harness's cache is left out.
func installedTree(t *testing.T, home string) []string {
	t.Helper()
	var tree []string
	err := filepath.WalkDir(home, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == home {
			return err
		}
		rel, _ := filepath.Rel(home, p)
		if rel == "cache" || rel == ".cache" || rel == filepath.Join(".config", "go") {
			return filepath.SkipDir
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			tree = append(tree, rel+" -> "+target)
		case d.IsDir():
			tree = append(tree, fmt.Sprintf("%s/ d%04o", rel, info.Mode().Perm()))
		default:
			tree = append(tree, fmt.Sprintf("%s %04o", rel, info.Mode().Perm()))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// installMessages are install.sh's lines, with home as $HOME, but the first,
// which says where ca-helper comes from (a build or the release).
func installMessages(stderr, home string) []string {
	var lines []string
	for _, line := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(line, "install.sh: building ") || strings.HasPrefix(line, "install.sh: installing ca-helper ") {
			continue
		}
		if strings.HasPrefix(line, "install.sh: ") || strings.HasPrefix(line, "    ") {
			lines = append(lines, strings.ReplaceAll(line, home, "$HOME"))
		}
	}
	return lines
}

// jarEntry is the text of one entry of a jar, "" when there is none.
func jarEntry(t *testing.T, jar, name string) string {
	t.Helper()
	zr, err := zip.OpenReader(jar)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, err := zr.Open(name)
	if err != nil {
		return ""
	}
	defer f.Close()
	b, _ := io.ReadAll(f)
	return string(b)
}

func mkdir(t *testing.T, dir string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
