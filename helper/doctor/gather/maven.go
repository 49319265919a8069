package gather

import (
	"archive/zip"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/ca-helper/ca-helper/helper/doctor"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/maven"
)

// Maven reads what the maven check needs: the {ca-helper} servers of
// settings.xml (CA_HELPER_SETTINGS_FILE or ~/.m2/settings.xml) and where the
// Maven extension is installed and loaded from. home is the user's home
// directory, getwd where Maven would run.
func Maven(getenv func(string) string, getwd func() (string, error), home string) doctor.Maven {
	path, err := maven.SettingsPath(getenv("CA_HELPER_SETTINGS_FILE"), home)
	m := doctor.Maven{SettingsPath: path}
	if err != nil {
		m.Err = err.Error()
		return m
	}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		m.Missing = true
		return m
	case err != nil:
		m.Err = err.Error()
		return m
	}
	sum, err := maven.Summarize(data)
	if err != nil {
		m.Err = err.Error()
		return m
	}
	if m.Markers = sum.MarkerServers; len(m.Markers) == 0 {
		return m
	}
	m.LibExt = libExtJar(getenv("MAVEN_HOME"))
	m.RepoJar = repoJar(sum.LocalRepository, home)
	m.Project, m.ProjectLoads = projectExtensions(getwd)
	jar := m.LibExt
	if jar == "" {
		jar = m.RepoJar
	}
	if jar != "" {
		m.Remembered, m.RememberedErr = runRemembered(jar)
	}
	return m
}

// rememberedEntry is where install.sh records, in the jar, the ca-helper the
// extension runs (maven-extension/build.sh).
const rememberedEntry = "io/github/cahelper/maven/ca-helper.properties"

// runRemembered reads the ca-helper path a jar remembers and runs
// `PATH version` with it: a path that is gone would stop every build.
func runRemembered(jar string) (path, problem string) {
	zr, err := zip.OpenReader(jar)
	if err != nil {
		return "", ""
	}
	defer zr.Close()
	f, err := zr.Open(rememberedEntry)
	if err != nil {
		return "", "" // no remembered path: the extension looks on PATH
	}
	data, err := io.ReadAll(io.LimitReader(f, 64<<10))
	f.Close()
	if err != nil {
		return "", ""
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "path="); ok {
			path = strings.ReplaceAll(v, `\\`, `\`)
		}
	}
	if path == "" {
		return "", ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "version").Output()
	switch {
	case err != nil:
		return path, failure.OneLine(err.Error())
	case !strings.HasPrefix(string(out), "ca-helper "):
		return path, "it is not ca-helper (`version` printed something else)"
	}
	return path, ""
}

// libExtJar finds the extension in lib/ext of MAVEN_HOME or of the mvn on PATH.
func libExtJar(mavenHome string) string {
	homes := []string{mavenHome}
	if mvn, err := exec.LookPath("mvn"); err == nil {
		if real, err := filepath.EvalSymlinks(mvn); err == nil {
			homes = append(homes, filepath.Dir(filepath.Dir(real)))
		}
	}
	for _, h := range homes {
		if h == "" {
			continue
		}
		if jars, _ := filepath.Glob(filepath.Join(h, "lib", "ext", maven.ExtensionArtifact+"*.jar")); len(jars) > 0 {
			return jars[0]
		}
	}
	return ""
}

// repoJar finds the extension in the local repository (<localRepository>, or
// ~/.m2/repository), where a project's .mvn/extensions.xml resolves it.
func repoJar(localRepository, home string) string {
	repo := strings.Replace(localRepository, "${user.home}", home, 1)
	if repo == "" {
		repo = filepath.Join(home, ".m2", "repository")
	}
	name := maven.ExtensionArtifact + "-" + maven.ExtensionVersion + ".jar"
	jar := filepath.Join(repo, filepath.FromSlash(strings.ReplaceAll(maven.ExtensionGroup, ".", "/")),
		maven.ExtensionArtifact, maven.ExtensionVersion, name)
	if _, err := os.Stat(jar); err != nil {
		return ""
	}
	return jar
}

// projectExtensions finds the extensions.xml Maven would read from here: in
// the nearest directory upward that has .mvn (Maven's own rule), whether or
// not the file exists; "" when no directory up has .mvn.
func projectExtensions(getwd func() (string, error)) (path string, loads bool) {
	dir, err := getwd()
	if err != nil {
		return "", false
	}
	for {
		if st, err := os.Stat(filepath.Join(dir, ".mvn")); err == nil && st.IsDir() {
			p := filepath.Join(dir, ".mvn", "extensions.xml")
			data, _ := os.ReadFile(p)
			return p, maven.LoadsExtension(data)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}
