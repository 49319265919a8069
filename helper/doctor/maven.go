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
	Markers       []string // ids of servers whose password is a {ca-helper} marker
	LibExt        string   // the extension jar in lib/ext of the Maven on PATH; "" if none
	RepoJar       string   // the extension jar in the local repository; "" if none
	Project       string   // the .mvn/extensions.xml Maven would read here (it may not exist); "" if no .mvn up from here
	ProjectLoads  bool     // Project names the extension
	Remembered    string   // the ca-helper the extension in use was built to run; "" when it looks on PATH
	RememberedErr string   // running Remembered failed: a path that is gone, or not ca-helper
}

// checkMaven tells whether Maven can serve the {ca-helper} servers in
// settings.xml; without the extension Maven sends the marker and gets a 401.
// It only warns: Maven is one client of many.
func checkMaven(_ context.Context, s *state) Result {
	m := s.setup.Maven
	ids := strings.Join(m.Markers, ", ")
	switch {
	case m.Err != "":
		return warn("cannot read "+m.SettingsPath+": "+m.Err, "fix "+m.SettingsPath+" or move it aside")
	case m.Missing:
		return skip("no " + m.SettingsPath)
	case len(m.Markers) == 0:
		return skip("no server in " + m.SettingsPath + " has a {ca-helper} password")
	case m.RememberedErr != "":
		return fail(failure.Runtime, "the Maven extension runs "+m.Remembered+", which fails: "+m.RememberedErr+
			": Maven stops before it downloads anything",
			"run ./install.sh again: it rebuilds the extension for the ca-helper it installs")
	case m.LibExt != "":
		return ok("server " + ids + ": the Maven extension is in " + m.LibExt)
	case m.RepoJar != "" && m.ProjectLoads:
		return ok("server " + ids + ": " + m.Project + " loads the Maven extension from " + m.RepoJar)
	case m.RepoJar != "":
		where := "this directory has no .mvn/extensions.xml"
		if m.Project != "" {
			where = m.Project + " does not load it"
		}
		return warn("server "+ids+" has a {ca-helper} password and the Maven extension is in "+m.RepoJar+", but "+where+
			": Maven here sends the marker and gets a 401",
			"run `ca-helper settings --extension --project DIR` for the project, or install it into lib/ext: CA_HELPER_MAVEN_EXT_DIR=$MAVEN_HOME/lib/ext ./install.sh")
	default:
		return warn("server "+ids+" has a {ca-helper} password but the Maven extension is not installed: Maven sends the marker and gets a 401",
			"run ./install.sh where mvn and javac are on PATH, then `ca-helper settings --extension --project DIR`")
	}
}
