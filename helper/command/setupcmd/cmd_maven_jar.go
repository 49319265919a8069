package setupcmd

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/maven"
)

// extensionJar is the jar to load: --jar, else the one install.sh put into
// PREFIX/share/ca-helper next to this binary's PREFIX/bin. Uninstall needs no
// jar ("" when none is found). A jar in a temporary directory is refused when
// home is not in that directory too: the files written would outlive it.
func extensionJar(e *cmdenv.Env, c *cli.Context, home string, install bool) (string, error) {
	jar := c.String("jar")
	if jar == "" && e.Executable != nil {
		if exe, err := e.Executable(); err == nil {
			if real, err := filepath.EvalSymlinks(exe); err == nil {
				exe = real
			}
			jar = filepath.Join(filepath.Dir(filepath.Dir(exe)), "share", "ca-helper", maven.ExtensionJar)
		}
	}
	if !install {
		return jar, nil
	}
	if jar == "" {
		return "", failure.Usagef("pass --jar JAR", "cannot find the Maven extension jar: this binary's path is unknown")
	}
	abs, err := filepath.Abs(jar)
	if err != nil {
		return "", failure.Usagef("pass --jar JAR", "--jar %s: %w", failure.Printable(jar), err)
	}
	if st, err := os.Stat(abs); err != nil || !st.Mode().IsRegular() {
		return "", failure.Usagef("run ./install.sh where mvn and javac are on PATH (it builds the jar), or pass --jar JAR",
			"no Maven extension jar at %s", abs)
	}
	if root := tempRoot(e.Getenv, abs); root != "" && !within(home, root) {
		return "", failure.Usagef("install ca-helper with a lasting PREFIX (./install.sh), or pass --jar with a lasting path",
			"the Maven extension jar %s is in the temporary directory %s: Maven would look for it after it is gone", abs, root)
	}
	return abs, nil
}

// tempRoot is the temporary directory path is in ($TMPDIR, /tmp, /var/tmp;
// the innermost), or "".
func tempRoot(getenv func(string) string, path string) string {
	best := ""
	for _, r := range []string{getenv("TMPDIR"), "/tmp", "/var/tmp"} {
		if r = filepath.Clean(r); r != "." && within(path, r) && len(r) > len(best) {
			best = r
		}
	}
	return best
}

func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
