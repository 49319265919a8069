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

// Maven reads what the maven check needs: the ca-helper marker servers of
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
	case err != nil:
		m.Err = err.Error()
	}
	var sum maven.Summary
	if err == nil {
		if sum, err = maven.Summarize(data); err != nil {
			m.Err = err.Error()
		}
		m.Markers = sum.MarkerServers
	}
	// A project's extensions.xml matters with or without markers: a jar it
	// names that is not there stops every build of the project.
	m.RepoPath = repoPath(sum.LocalRepository, home)
	if _, err := os.Stat(m.RepoPath); err == nil {
		m.RepoJar = m.RepoPath
	}
	m.Project, m.ProjectLoads = projectExtensions(getwd)
	if len(m.Markers) == 0 && !m.ProjectLoads {
		return m
	}
	m.LibExt = libExtJar(getenv("MAVEN_HOME"))
	rc, _ := os.ReadFile(filepath.Join(home, ".mavenrc"))
	if m.UserJar = maven.MavenrcJar(rc); m.UserJar != "" {
		_, err := os.Stat(m.UserJar)
		m.UserJarGone = err != nil
	}
	for _, jar := range []string{m.LibExt, m.UserJar, m.RepoJar} {
		if jar != "" && (jar != m.UserJar || !m.UserJarGone) {
			m.Remembered, m.RememberedErr = runRemembered(jar)
			break
		}
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

// libExtJar finds the extension in lib/ext or lib of MAVEN_HOME or of the mvn
// on PATH.
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
		for _, dir := range []string{filepath.Join(h, "lib", "ext"), filepath.Join(h, "lib")} {
			if jars, _ := filepath.Glob(filepath.Join(dir, maven.ExtensionArtifact+"*.jar")); len(jars) > 0 {
				return jars[0]
			}
		}
	}
	return ""
}

// repoPath is where a project's .mvn/extensions.xml resolves the extension:
// in the local repository (<localRepository>, or ~/.m2/repository).
func repoPath(localRepository, home string) string {
	repo := strings.Replace(localRepository, "${user.home}", home, 1)
	if repo == "" {
		repo = filepath.Join(home, ".m2", "repository")
	}
	name := maven.ExtensionArtifact + "-" + maven.ExtensionVersion + ".jar"
	return filepath.Join(repo, filepath.FromSlash(strings.ReplaceAll(maven.ExtensionGroup, ".", "/")),
		maven.ExtensionArtifact, maven.ExtensionVersion, name)
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
