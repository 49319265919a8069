package maven

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// IDEDirsVar lists the directories IDEs are installed in, replacing the
// defaults of IDEDirs (path list separator between them).
const IDEDirsVar = "CA_HELPER_IDE_DIRS"

// IDEDirs are the directories where IDEs that bundle Maven are installed on
// goos: IntelliJ IDEA from JetBrains Toolbox, a tarball in /opt, a snap, or
// an app bundle. getenv may override them with IDEDirsVar.
func IDEDirs(getenv func(string) string, home, goos string) []string {
	if v := getenv(IDEDirsVar); v != "" {
		return filepath.SplitList(v)
	}
	switch goos {
	case "darwin":
		return []string{"/Applications", filepath.Join(home, "Applications"),
			filepath.Join(home, "Library", "Application Support", "JetBrains", "Toolbox", "apps")}
	case "windows":
		var dirs []string
		if p := getenv("ProgramFiles"); p != "" {
			dirs = append(dirs, filepath.Join(p, "JetBrains"))
		}
		if p := getenv("LOCALAPPDATA"); p != "" {
			dirs = append(dirs, filepath.Join(p, "Programs"), filepath.Join(p, "JetBrains", "Toolbox", "apps"))
		}
		return dirs
	default:
		return []string{filepath.Join(home, ".local", "share", "JetBrains", "Toolbox", "apps"), "/opt", "/snap"}
	}
}

// FindIDEMavens returns the Maven installations IDEs bundle under dirs:
// IntelliJ IDEA keeps them in plugins/maven/lib/maven3 (and maven4), one to
// three levels below the directory it is installed in (Toolbox and snap add
// levels, an app bundle adds Contents).
func FindIDEMavens(dirs []string) []string {
	seen := map[string]bool{}
	var homes []string
	for _, d := range dirs {
		for _, depth := range []string{"*", "*/*", "*/*/*"} {
			matches, _ := filepath.Glob(filepath.Join(d, depth, "plugins", "maven", "lib", "maven[34]"))
			for _, m := range matches {
				if _, ok := MavenVersion(m); ok && !seen[m] {
					seen[m] = true
					homes = append(homes, m)
				}
			}
		}
	}
	sort.Strings(homes)
	return homes
}

// MavenVersion reads the version of the Maven installed at home from the
// name of its maven-core jar.
func MavenVersion(home string) (string, bool) {
	matches, _ := filepath.Glob(filepath.Join(home, "lib", "maven-core-*.jar"))
	if len(matches) == 0 {
		return "", false
	}
	return strings.TrimSuffix(strings.TrimPrefix(filepath.Base(matches[0]), "maven-core-"), ".jar"), true
}

// InstallJar copies jar into dir as HomeJar (0644, replaced atomically, so a
// running Maven never reads half a jar), creating dir if needed.
func InstallJar(dir, jar string) (path string, changed bool, err error) {
	data, err := os.ReadFile(jar)
	if err != nil {
		return "", false, fmt.Errorf("read the extension jar: %w", err)
	}
	path = filepath.Join(dir, HomeJar)
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return path, false, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return path, false, fmt.Errorf("create %s: %w", dir, err)
	}
	tmp, err := writeTemp(dir, HomeJar, data)
	if err != nil {
		return path, false, err
	}
	if err := os.Chmod(tmp, 0o644); err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return path, false, fmt.Errorf("install %s: %w", path, err)
	}
	return path, true, nil
}

// RemoveJars removes HomeJar from each dir; removed lists what was there.
func RemoveJars(dirs ...string) (removed []string, err error) {
	for _, d := range dirs {
		p := filepath.Join(d, HomeJar)
		err := os.Remove(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return removed, fmt.Errorf("remove %s: %w", p, err)
		}
		removed = append(removed, p)
	}
	return removed, nil
}
