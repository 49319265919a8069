package maven

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const pom = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>settings-check</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
</project>
`

// TestMavenReadsMergedSettings runs real Maven offline on merged files: it
// must parse them without a warning, activate the profile next to another
// activeByDefault one, and use the mirror. "validate" of a pom project runs no
// plugin, so nothing is downloaded.
func TestMavenReadsMergedSettings(t *testing.T) {
	mvn, err := exec.LookPath("mvn")
	if err != nil {
		t.Skip("mvn not on PATH (Debian package maven)")
	}
	other := "<settings>\n  <profiles>\n    <profile>\n      <id>other</id>\n      <activation><activeByDefault>true</activeByDefault></activation>\n    </profile>\n  </profiles>\n</settings>\n"
	tests := []struct {
		name string
		in   string
		s    Server
		want []string
	}{
		{"profile beside another active by default", other, releases, []string{
			"[DEBUG] Repositories (dependencies): [releases (" + caURL + ", default, releases+snapshots)",
			"[DEBUG] Repositories (plugins)     : [releases (" + caURL + ", default, releases+snapshots)",
		}},
		{"mirror of everything", existing, releasesMirror, []string{
			"[DEBUG] Using mirror releases (" + caURL + ") for central (https://repo.maven.apache.org/maven2).",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			out, err := Merge([]byte(tt.in), tt.s)
			if err != nil {
				t.Fatal(err)
			}
			settings := filepath.Join(dir, "settings.xml")
			for name, data := range map[string][]byte{"pom.xml": []byte(pom), "settings.xml": out} {
				if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			cmd := exec.Command(mvn, "-B", "-X", "-o", "-s", settings, "-Dmaven.repo.local="+filepath.Join(dir, "repo"), "validate")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), DefaultEnvVar+"=not-a-token")
			log, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("mvn: %v\n%s", err, log)
			}
			for _, line := range strings.Split(string(log), "\n") {
				if strings.HasPrefix(line, "[WARNING]") || strings.HasPrefix(line, "[ERROR]") {
					t.Errorf("mvn: %s", line)
				}
			}
			for _, w := range tt.want {
				if !strings.Contains(string(log), w) {
					t.Errorf("mvn output lacks %q", w)
				}
			}
		})
	}
}
