package command

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/helper/failure"
)

// TestMavenInstall: the per-user install through Run, with a jar and a
// fake IDE-bundled Maven in temp dirs. Bad input exits 2 with empty stdout
// and changes nothing.
func TestMavenInstall(t *testing.T) {
	tests := []struct {
		name     string
		args     []string // JAR, HOME, IDE: the paths below
		wantCode int
		wantOut  []string // files named on stdout
		wantErr  string
	}{
		{name: "install", args: []string{"maven", "install", "--jar", "JAR"},
			wantOut: []string{"HOME/.m2/maven.properties", "HOME/.m2/maven-user.properties", "HOME/.mavenrc", "HOME/.m2/ext/ca-helper-maven-extension.jar",
				"IDE/lib/ca-helper-maven-extension.jar"},
			wantErr: "wrote HOME/.mavenrc"},
		{name: "dry run", args: []string{"maven", "install", "--jar", "JAR", "--dry-run"},
			wantErr: "dry run: would change HOME/.mavenrc"},
		{name: "no jar", args: []string{"maven", "install", "--jar", "HOME/none.jar"}, wantCode: failure.Usage,
			wantErr: "no Maven extension jar at HOME/none.jar"},
		{name: "jar path MAVEN_OPTS cannot carry", args: []string{"maven", "install", "--jar", "SPACED"}, wantCode: failure.Usage,
			wantErr: "has a blank or a shell character"},
		{name: "not a Maven home", args: []string{"maven", "install", "--jar", "JAR", "--maven-home", "HOME"}, wantCode: failure.Usage,
			wantErr: "is not a Maven installation: no lib/maven-core-*.jar"},
		{name: "stray argument", args: []string{"maven", "install", "x"}, wantCode: failure.Usage, wantErr: `unexpected argument "x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sys := newSystem(t)
			home := sys.getenv("HOME")
			jar := filepath.Join(t.TempDir(), "ext.jar")
			spaced := filepath.Join(t.TempDir(), "a b.jar")
			ides := t.TempDir()
			ide := filepath.Join(ides, "idea", "plugins", "maven", "lib", "maven3")
			for path, body := range map[string]string{jar: "jar", spaced: "jar", filepath.Join(ide, "lib", "maven-core-3.9.9.jar"): ""} {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			sys.setenv("CA_HELPER_IDE_DIRS", ides)
			subst := strings.NewReplacer("SPACED", spaced, "JAR", jar, "HOME", home, "IDE", ide)
			var args []string
			for _, a := range tt.args {
				args = append(args, subst.Replace(a))
			}
			code, out, errOut := sys.run(args...)
			var want string
			for _, w := range tt.wantOut {
				want += subst.Replace(w) + "\n"
			}
			if code != tt.wantCode || out != want || !strings.Contains(errOut, subst.Replace(tt.wantErr)) {
				t.Fatalf("exit %d\nstdout %q\nwant   %q\nstderr %s\nwant %q", code, out, want, errOut, subst.Replace(tt.wantErr))
			}
			if _, err := os.Stat(filepath.Join(home, ".mavenrc")); (err == nil) != (tt.wantCode == 0 && len(tt.wantOut) > 0) {
				t.Errorf("~/.mavenrc exists: %v, want it only after a successful install", err == nil)
			}
			if code == 0 {
				return
			}
			if lines := strings.Split(strings.TrimSpace(errOut), "\n"); len(lines) != 2 || !strings.HasPrefix(lines[1], "ca-helper: hint: ") {
				t.Errorf("want one error line and one hint, got:\n%s", errOut)
			}
		})
	}
}
