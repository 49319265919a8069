package test

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// The IntelliJ Maven 4 import tests run testdata/maven/embedder/Idea4Import.java,
// which drives Maven 4 as intellij-community's maven40-server-impl does:
// Maven's own invoker up to settings (never execute), a new embedder for each
// sync, and resolveProjects and resolvePlugins through sessions built from
// those settings. Maven 4 decrypts settings passwords while it builds them,
// so the extension's password dispatcher answers the marker there.

// idea4Project lays out hello-lib, whose pom.xml the import reads, and the
// settings.xml with the ca-helper marker; it returns the project directory.
// With extensionsXML the project's .mvn/extensions.xml names the extension
// (as `ca-helper settings --project` writes it) and the local repository
// holds it, as install.sh leaves a developer's.
func idea4Project(t *testing.T, h *harness, in installed, work string, extensionsXML bool) (project, settings string) {
	t.Helper()
	project = filepath.Join(work, "hello-lib")
	copyTree(t, filepath.Join("testdata", "maven", "hello-lib"), project)
	if !extensionsXML {
		return project, extSettings(t, h, work)
	}
	copyTree(t, in.repo, filepath.Join(work, "m2"))
	return project, extSettings(t, h, work, "--project", project)
}

// idea4Import runs Idea4Import.java with the Maven 4 at home: imports
// imports of project, reading stdin between them. extArg is an importer VM
// option ("" for none).
func idea4Import(t *testing.T, h *harness, home, project, settings, extArg string, imports int, stdin io.Reader) result {
	t.Helper()
	prog, _ := filepath.Abs(filepath.Join("testdata", "maven", "embedder", "Idea4Import.java"))
	cp := filepath.Join(home, "boot", "*") + string(os.PathListSeparator) + filepath.Join(home, "lib", "*")
	args := []string{"-cp", cp, "-Dmaven.home=" + home, "-Duser.home=" + h.home}
	if extArg != "" {
		args = append(args, extArg)
	}
	args = append(args, prog, settings, filepath.Join(filepath.Dir(project), "m2"), strconv.Itoa(imports),
		"org.apache.maven.plugins:maven-compiler-plugin:3.10.1")
	return h.runInReader(project, stdin, "java", args...)
}

// logImportTimes logs the wall time of each import, as the importer printed it.
func logImportTimes(t *testing.T, r result) {
	t.Helper()
	for _, line := range strings.Split(r.stderr, "\n") {
		if strings.HasPrefix(line, "import ") && strings.Contains(line, " took ") {
			t.Log(line)
		}
	}
}

// readsUserProperties tells whether the Maven at home reads
// ~/.m2/maven-user.properties: its conf names that file among its includes
// (4.0.0-rc-5 and later; rc-4 reads only ~/.m2/maven.properties).
func readsUserProperties(home string) bool {
	confs, _ := filepath.Glob(filepath.Join(home, "conf", "*.properties"))
	for _, c := range confs {
		if b, err := os.ReadFile(c); err == nil && strings.Contains(string(b), "${maven.user.conf}/maven-user.properties") {
			return true
		}
	}
	return false
}

// TestIntelliJMaven4ImportGetsToken: the dispatcher, loaded as an importer VM
// option or from the user's Maven properties in ~/.m2, answers the marker
// while the importer builds settings; the dependency and the plugin come
// through the fake with one token fetch, and no request carries the marker.
// Where the dispatcher is missing when settings are built (a properties file
// this Maven does not read, or only the project's .mvn/extensions.xml, which
// Maven 4 loads after building settings once without it), the marker cannot
// be decrypted and IntelliJ imports without settings: nothing resolves.
func TestIntelliJMaven4ImportGetsToken(t *testing.T) {
	homes := otherMavens(t, "4")
	in := installWithExtension(t)
	vmOpt := "-Dmaven.ext.class.path=" + in.jar
	for _, home := range homes {
		routes := []struct {
			name          string
			vmOpt         string // importer VM option
			file          string // under ~/.m2, holding maven.ext.class.path
			extensionsXML bool
			honour        bool
			also          string // in the output besides
		}{
			{name: "vm-option", vmOpt: vmOpt, honour: true},
			{name: "maven.properties", file: "maven.properties", honour: true},
			{name: "maven-user.properties", file: "maven-user.properties", honour: readsUserProperties(home)},
			{name: "extensions.xml", extensionsXML: true, also: "Maven40Invoker.container: Error building settings"},
			// The container step fails on the bootstrap settings and is retried
			// without the project's core extensions; settings then work.
			{name: "vm-option+extensions.xml", vmOpt: vmOpt, extensionsXML: true, honour: true,
				also: "Maven40Invoker.container: Error building settings"},
		}
		for _, route := range routes {
			t.Run(filepath.Base(home)+"/"+route.name, func(t *testing.T) {
				h := newHarness(t, fake.Options{UpstreamDir: debianMavenRepo})
				project, settings := idea4Project(t, h, in, t.TempDir(), route.extensionsXML)
				if route.file != "" {
					os.MkdirAll(filepath.Join(h.home, ".m2"), 0o755)
					if err := os.WriteFile(filepath.Join(h.home, ".m2", route.file), []byte("maven.ext.class.path="+in.jar+"\n"), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				r := idea4Import(t, h, home, project, settings, route.vmOpt, 1, nil)
				logImportTimes(t, r)
				wantNoMarkerSent(t, h.fake)
				if !strings.Contains(r.stdout+r.stderr, route.also) {
					t.Errorf("output lacks %q: %s", route.also, r)
				}
				if !route.honour {
					if r.code == 0 || !strings.Contains(r.stdout, "import 1: unresolved") || h.fake.TokenCalls() != 0 {
						t.Fatalf("the dispatcher was not there when settings were built, yet the import got a token: %s", r)
					}
					return
				}
				for _, want := range []string{"import 1: commons-lang3-3.12.0.jar\n", "import 1: maven-compiler-plugin-3.10.1.jar\n"} {
					if r.code != 0 || !strings.Contains(r.stdout, want) {
						t.Fatalf("import did not resolve %q: %s", want, r)
					}
				}
				wantUpstream(t, h.fake, "org/apache/commons/commons-lang3/3.12.0/commons-lang3-3.12.0.jar")
				wantUpstream(t, h.fake, "org/apache/maven/plugins/maven-compiler-plugin/3.10.1/maven-compiler-plugin-3.10.1.jar")
				wantAuthenticated(t, h.fake)
				if n := h.fake.TokenCalls(); n != 1 {
					t.Errorf("%d token calls, want 1", n)
				}
			})
		}
	}
}

// TestIntelliJMaven4ImportFailsLoud: without AWS credentials the dispatcher
// fails and prints ca-helper's error. IntelliJ's Maven40Invoker logs the
// failed settings step and goes on without settings (no mirror, no
// servers), so the import reaches no repository and resolves nothing; it
// never sends the marker.
func TestIntelliJMaven4ImportFailsLoud(t *testing.T) {
	homes := otherMavens(t, "4")
	in := installWithExtension(t)
	for _, home := range homes {
		t.Run(filepath.Base(home), func(t *testing.T) {
			h := newHarness(t, fake.Options{UpstreamDir: debianMavenRepo})
			project, settings := idea4Project(t, h, in, t.TempDir(), false)
			delete(h.env, "AWS_ACCESS_KEY_ID")
			delete(h.env, "AWS_SECRET_ACCESS_KEY")
			r := idea4Import(t, h, home, project, settings, "-Dmaven.ext.class.path="+in.jar, 1, nil)
			logImportTimes(t, r)
			if r.code == 0 || !strings.Contains(r.stdout+r.stderr, "ca-helper: no CodeArtifact token") {
				t.Fatalf("want the import to fail with ca-helper's error: %s", r)
			}
			if !strings.Contains(r.stdout, "import 1: unresolved") {
				t.Errorf("want unresolved artifacts: %s", r)
			}
			wantNoMarkerSent(t, h.fake)
			for _, req := range h.fake.Requests() {
				if req.Op == fake.OpMaven {
					t.Errorf("the import reached the repository without a token: %s %s", req.Method, req.Path)
				}
			}
		})
	}
}

// TestIntelliJMaven4ImportLongLived: one Maven server process, two imports,
// the cached token erased in between. IntelliJ makes a new embedder for each
// sync (MavenEmbedderWrappers), so settings, and with them the dispatcher,
// run again: the second import fetches and sends a new token.
func TestIntelliJMaven4ImportLongLived(t *testing.T) {
	homes := otherMavens(t, "4")
	in := installWithExtension(t)
	for _, home := range homes {
		t.Run(filepath.Base(home), func(t *testing.T) {
			h := newHarness(t, fake.Options{UpstreamDir: debianMavenRepo})
			work := t.TempDir()
			project, settings := idea4Project(t, h, in, work, false)
			pr, pw, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer pw.Close() // lets the importer finish if the test stops early
			done := make(chan result, 1)
			go func() {
				defer pr.Close()
				done <- idea4Import(t, h, home, project, settings, "-Dmaven.ext.class.path="+in.jar, 2, pr)
			}()
			waitFor(t, "the first import", func() bool { return fileExists(filepath.Join(work, "m2") + ".ready") })
			os.RemoveAll(filepath.Join(work, "m2")) // the second import downloads again
			if r := h.run("ca-helper", "erase"); r.code != 0 {
				t.Fatalf("erase: %s", r)
			}
			pw.Write([]byte("next\n"))
			pw.Close()
			r := <-done
			logImportTimes(t, r)
			for _, want := range []string{"import 2: commons-lang3-3.12.0.jar", "import 2: maven-compiler-plugin-3.10.1.jar"} {
				if r.code != 0 || !strings.Contains(r.stdout, want) {
					t.Fatalf("second import did not resolve %q: %s", want, r)
				}
			}
			wantNewTokenSecondTime(t, h.fake)
		})
	}
}
