package maven

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testJar = "/home/u/.local/share/ca-helper/ca-helper-maven-extension-1.0.0.jar"

var testBlock = func() string {
	b, _ := MergeMavenrc(nil, testJar)
	return string(b)
}()

func TestMergeMavenrc(t *testing.T) {
	for _, tc := range []struct {
		name, existing, want string
	}{
		{"new file", "", testBlock},
		{"appended", "JAVA_HOME=/opt/jdk", "JAVA_HOME=/opt/jdk\n" + testBlock},
		{"replaced in place", "a=1\n" + strings.Replace(testBlock, testJar, "/old.jar", 1) + "b=2\n", "a=1\n" + testBlock + "b=2\n"},
		{"same again", "a=1\n" + testBlock, "a=1\n" + testBlock},
		{"damaged block runs to the end", "a=1\n" + rcBegin + "\nMAVEN_OPTS=x\n", "a=1\n" + testBlock},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := MergeMavenrc([]byte(tc.existing), testJar)
			if err != nil || string(got) != tc.want {
				t.Fatalf("MergeMavenrc = %q, %v\nwant %q", got, err, tc.want)
			}
			if j := MavenrcJar(got); j != testJar {
				t.Errorf("MavenrcJar = %q", j)
			}
			if back := string(RemoveMavenrc(got)); strings.Contains(back, "ca-helper") {
				t.Errorf("RemoveMavenrc left %q", back)
			}
		})
	}
}

func TestMergeMavenrcRefusesShellCharacters(t *testing.T) {
	for _, jar := range []string{"", "/a b/x.jar", `/a"$(id)/x.jar`, "/a;rm/x.jar", "/a`id`.jar", "/a\n/x.jar"} {
		if out, err := MergeMavenrc([]byte("a=1\n"), jar); err == nil {
			t.Errorf("MergeMavenrc(%q) = %q, want an error", jar, out)
		}
	}
}

func TestUserProperties(t *testing.T) {
	for _, tc := range []struct {
		name, existing, merged, removed string
	}{
		{"new", "", "maven.ext.class.path=/j.jar\n", ""},
		{"kept lines", "a=1\n# c", "a=1\n# c\nmaven.ext.class.path=/j.jar\n", "a=1\n# c\n"},
		{"added to the user's list", "maven.ext.class.path = /o.jar\nb=2\n", "maven.ext.class.path=/o.jar:/j.jar\nb=2\n", "maven.ext.class.path=/o.jar\nb=2\n"},
		{"already there", "maven.ext.class.path=/o.jar:/j.jar\n", "maven.ext.class.path=/o.jar:/j.jar\n", "maven.ext.class.path=/o.jar\n"},
		{"other key", "maven.ext.class.pathx=/o.jar\n", "maven.ext.class.pathx=/o.jar\nmaven.ext.class.path=/j.jar\n", "maven.ext.class.pathx=/o.jar\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := MergeUserProperties([]byte(tc.existing), "/j.jar", ":")
			if string(got) != tc.merged {
				t.Fatalf("merged = %q, want %q", got, tc.merged)
			}
			if !UserPropertiesLoads(got, "/j.jar", ":") {
				t.Error("UserPropertiesLoads = false after merge")
			}
			if back := RemoveUserProperties(got, "/j.jar", ":"); string(back) != tc.removed {
				t.Errorf("removed = %q, want %q", back, tc.removed)
			}
		})
	}
}

func TestUserPropertiesEscapesBackslashes(t *testing.T) {
	got := MergeUserProperties(nil, `C:\u\x.jar`, ";")
	if string(got) != `maven.ext.class.path=C:\\u\\x.jar`+"\n" || !UserPropertiesLoads(got, `C:\u\x.jar`, ";") {
		t.Errorf("got %q", got)
	}
}

func TestFindIDEMavens(t *testing.T) {
	dir := t.TempDir()
	mk := func(rel string) string {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Join(p, "lib"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(p, "lib", "maven-core-3.9.9.jar"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	want := []string{
		mk("IDEA-U/ch-0/243.1/plugins/maven/lib/maven3"),          // old Toolbox layout
		mk("IntelliJ IDEA.app/Contents/plugins/maven/lib/maven3"), // macOS bundle
		mk("idea-IC/plugins/maven/lib/maven3"),                    // a tarball in /opt
		mk("idea-IC/plugins/maven/lib/maven4"),
	}
	// Not a Maven installation: no maven-core jar.
	if err := os.MkdirAll(filepath.Join(dir, "idea-X", "plugins", "maven", "lib", "maven3", "lib"), 0o755); err != nil {
		t.Fatal(err)
	}
	got := FindIDEMavens([]string{dir, filepath.Join(dir, "absent")})
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("FindIDEMavens =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if v, ok := MavenVersion(want[0]); !ok || v != "3.9.9" {
		t.Errorf("MavenVersion = %q, %v", v, ok)
	}
}

func TestInstallJar(t *testing.T) {
	home, jar := t.TempDir(), filepath.Join(t.TempDir(), "x.jar")
	for _, p := range []string{jar, filepath.Join(home, "lib", "ext", HomeJar)} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("jar"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for i, wantChanged := range []bool{true, false} {
		path, changed, err := InstallJar(filepath.Join(home, "lib"), jar)
		if err != nil || changed != wantChanged || path != filepath.Join(home, "lib", HomeJar) {
			t.Fatalf("install %d: %s changed %v, %v", i, path, changed, err)
		}
		if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o644 {
			t.Fatalf("installed jar: %v %v", st, err)
		}
	}
	for i, want := range []int{2, 0} {
		if removed, err := RemoveJars(filepath.Join(home, "lib"), filepath.Join(home, "lib", "ext")); err != nil || len(removed) != want {
			t.Fatalf("remove %d: removed %v, %v", i, removed, err)
		}
	}
}
