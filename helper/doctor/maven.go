package doctor

import (
	"context"
	"strings"

	"github.com/ca-helper/ca-helper/helper/failure"
)

// Maven is what the maven check knows of the user's Maven set-up. The
// command fills it in from files, so the check itself reads nothing.
type Maven struct {
	SettingsPath  string
	Missing       bool     // no settings.xml there
	Err           string   // settings.xml could not be read or parsed
	Markers       []string // ids of servers whose password is a ca-helper marker
	LibExt        string   // the extension jar in lib or lib/ext of the Maven on PATH; "" if none
	UserJar       string   // the jar ~/.mavenrc loads (`ca-helper maven install`); "" if none
	UserJarGone   bool     // UserJar does not exist
	RepoJar       string   // the extension jar in the local repository; "" if none
	RepoPath      string   // where a project's .mvn/extensions.xml looks for it
	Project       string   // the .mvn/extensions.xml Maven would read here (it may not exist); "" if no .mvn up from here
	ProjectLoads  bool     // Project names the extension
	Remembered    string   // the ca-helper the extension in use was built to run; "" when it looks on PATH
	RememberedErr string   // running Remembered failed: a path that is gone, or not ca-helper
}

// checkMaven tells whether Maven can serve the ca-helper marker servers in
// settings.xml; without the extension Maven sends the marker and gets a 401.
// It only warns, as Maven is one client of many, except where Maven cannot
// run at all: a project that names a jar that is not there, or an extension
// whose ca-helper is gone.
func checkMaven(_ context.Context, s *state) Result {
	m := s.setup.Maven
	ids := strings.Join(m.Markers, ", ")
	switch {
	case m.ProjectLoads && m.RepoJar == "":
		return fail(failure.Runtime, m.Project+" loads the ca-helper Maven extension, but "+m.RepoPath+
			" is missing: Maven stops with \"Extension … could not be resolved\"",
			"run ./install.sh where mvn and javac are on PATH (it puts the jar there), or take the extension out of "+m.Project+" and run `ca-helper maven install`")
	case m.Err != "":
		return warn("cannot read "+m.SettingsPath+": "+m.Err, "fix "+m.SettingsPath+" or move it aside")
	case m.Missing:
		return skip("no " + m.SettingsPath)
	case len(m.Markers) == 0:
		return skip("no server in " + m.SettingsPath + " has a ca-helper marker password")
	case m.RememberedErr != "":
		return fail(failure.Runtime, "the Maven extension runs "+m.Remembered+", which fails: "+m.RememberedErr+
			": Maven stops before it downloads anything",
			"run ./install.sh again: it rebuilds the extension for the ca-helper it installs")
	case m.LibExt != "":
		return ok("server " + ids + ": the Maven extension is in " + m.LibExt)
	case m.UserJar != "" && !m.UserJarGone:
		return ok("server " + ids + ": ~/.mavenrc loads the Maven extension from " + m.UserJar + " for mvn and ./mvnw")
	case m.UserJar != "":
		return warn("~/.mavenrc loads the Maven extension from "+m.UserJar+", which is gone: Maven sends the marker of server "+ids+" and gets a 401",
			"run ./install.sh, then `ca-helper maven install`")
	case m.RepoJar != "" && m.ProjectLoads:
		return ok("server " + ids + ": " + m.Project + " loads the Maven extension from " + m.RepoJar)
	case m.RepoJar != "":
		where := "this directory has no .mvn/extensions.xml"
		if m.Project != "" {
			where = m.Project + " does not load it"
		}
		return warn("server "+ids+" has a ca-helper marker password and the Maven extension is in "+m.RepoJar+", but "+where+
			": Maven here sends the marker and gets a 401",
			"run `ca-helper maven install` (every Maven of yours, no project file), or `ca-helper settings --extension --project DIR` for one project")
	default:
		return warn("server "+ids+" has a ca-helper marker password but the Maven extension is not installed: Maven sends the marker and gets a 401",
			"run ./install.sh where mvn and javac are on PATH, then `ca-helper maven install`")
	}
}
