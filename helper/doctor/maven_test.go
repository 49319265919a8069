package doctor

import (
	"context"
	"strings"
	"testing"
)

func TestCheckMaven(t *testing.T) {
	const settings = "/home/u/.m2/settings.xml"
	const jar = "/home/u/.m2/repository/io/github/ca-helper/ca-helper-maven-extension/1.0.0/ca-helper-maven-extension-1.0.0.jar"
	tests := []struct {
		name   string
		m      Maven
		want   Status
		detail string
		fix    string
	}{
		{"no settings.xml", Maven{Missing: true}, Skip, "no " + settings, ""},
		{"unreadable", Maven{Err: "invalid XML: line 2: …"}, Warn, "cannot read " + settings + ": invalid XML", "fix " + settings},
		{"no markers", Maven{}, Skip, "no server in " + settings + " has a ca-helper marker password", ""},
		{"not installed", Maven{Markers: []string{"releases", "snapshots"}}, Warn,
			"server releases, snapshots has a ca-helper marker password but the Maven extension is not installed", "then `ca-helper maven install`"},
		{"per user", Maven{Markers: []string{"releases"}, UserJar: "/home/u/.local/share/ca-helper/x.jar"}, OK,
			"server releases: ~/.mavenrc loads the Maven extension from /home/u/.local/share/ca-helper/x.jar", ""},
		{"per user, jar gone", Maven{Markers: []string{"releases"}, UserJar: "/gone/x.jar", UserJarGone: true}, Warn,
			"~/.mavenrc loads the Maven extension from /gone/x.jar, which is gone", "run ./install.sh, then `ca-helper maven install`"},
		{"project names a jar that is not there", Maven{Missing: true, Project: "/p/.mvn/extensions.xml", ProjectLoads: true, RepoPath: jar}, Fail,
			"/p/.mvn/extensions.xml loads the ca-helper Maven extension, but " + jar + " is missing: Maven stops", "run ./install.sh"},
		{"in lib/ext", Maven{Markers: []string{"releases"}, LibExt: "/opt/maven/lib/ext/ca-helper-maven-extension.jar"}, OK,
			"server releases: the Maven extension is in /opt/maven/lib/ext/ca-helper-maven-extension.jar", ""},
		{"project loads it", Maven{Markers: []string{"releases"}, RepoJar: jar, Project: "/p/.mvn/extensions.xml", ProjectLoads: true}, OK,
			"server releases: /p/.mvn/extensions.xml loads the Maven extension from " + jar, ""},
		{"project does not name it", Maven{Markers: []string{"releases"}, RepoJar: jar, Project: "/p/.mvn/extensions.xml"}, Warn,
			"but /p/.mvn/extensions.xml does not load it: Maven here sends the marker and gets a 401", "ca-helper settings --extension --project DIR"},
		{"no project here", Maven{Markers: []string{"releases"}, RepoJar: jar}, Warn,
			"but this directory has no .mvn/extensions.xml", "run `ca-helper maven install`"},
	}
	for _, tt := range tests {
		tt.m.SettingsPath = settings
		got := checkMaven(context.Background(), &state{setup: Setup{Maven: tt.m}})
		if got.Status != tt.want || !strings.Contains(got.Detail, tt.detail) || !strings.Contains(got.Fix, tt.fix) {
			t.Errorf("%s: %s %q (fix %q); want %s with %q, fix with %q", tt.name, got.Status, got.Detail, got.Fix, tt.want, tt.detail, tt.fix)
		}
		if got.Status == Fail && tt.want != Fail {
			t.Errorf("%s: the maven check fails doctor only where Maven cannot run", tt.name)
		}
	}
}
