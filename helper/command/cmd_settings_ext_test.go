package command

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/maven"
)

func TestSettingsExtension(t *testing.T) {
	const marker = "<password>{[name=ca-helper,version=1]--domain my-domain --domain-owner 111122223333 --region eu-west-1}</password>"
	newExt, _ := maven.MergeExtension(nil)
	tests := []struct {
		name       string
		args       []string
		oldExt     string // written to PROJECT/.mvn/extensions.xml when set
		wantCode   int
		wantOut    string // PATH: settings.xml, EXT: extensions.xml
		wantErr    string
		wantMarker bool
		wantExt    string // "" with oldExt "": no file
	}{
		{name: "marker only", args: []string{"--extension"}, wantOut: "PATH\n", wantMarker: true},
		{name: "marker and project", args: []string{"--extension", "--project", "PROJECT"}, wantOut: "PATH\nEXT\n",
			wantErr: "added the ca-helper Maven extension to EXT", wantMarker: true, wantExt: string(newExt)},
		{name: "project already set up", args: []string{"--extension", "--project", "PROJECT"}, oldExt: string(newExt),
			wantOut: "PATH\nEXT\n", wantErr: "EXT already loads the ca-helper Maven extension", wantMarker: true, wantExt: string(newExt)},
		{name: "dry run writes nothing", args: []string{"--extension", "--project", "PROJECT", "--dry-run"},
			wantErr: "dry run: EXT not changed"},
		{name: "bad extensions.xml stops before settings.xml", args: []string{"--extension", "--project", "PROJECT"},
			oldExt: "<project/>", wantCode: failure.Usage, wantErr: "EXT: invalid XML: line 1: root element is <project>, want <extensions>", wantExt: "<project/>"},
		{name: "project without extension", args: []string{"--project", "PROJECT"}, wantCode: failure.Usage,
			wantErr: "--project only applies with --extension"},
		{name: "env var with extension", args: []string{"--extension", "--env-var", "X"}, wantCode: failure.Usage,
			wantErr: "--extension and --env-var do not go together"},
		{name: "project is not a directory", args: []string{"--extension", "--project", "PROJECT/missing"}, wantCode: failure.Usage,
			wantErr: "is not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sys, path := settingsSetup(t)
			project := t.TempDir()
			ext := filepath.Join(project, ".mvn", "extensions.xml")
			if tt.oldExt != "" {
				writeSettings(t, ext, tt.oldExt)
			}
			args := []string{"--settings-file", path}
			for _, a := range tt.args {
				args = append(args, strings.ReplaceAll(a, "PROJECT", project))
			}
			code, stdout, stderr := settingsRun(sys, args...)
			expand := func(s string) string { return strings.NewReplacer("PATH", path, "EXT", ext).Replace(s) }
			if code != tt.wantCode || (tt.wantOut != "" || code != 0) && stdout != expand(tt.wantOut) || !strings.Contains(stderr, expand(tt.wantErr)) {
				t.Errorf("code %d, stdout %q, stderr %q\nwant code %d, stdout %q, stderr with %q",
					code, stdout, stderr, tt.wantCode, expand(tt.wantOut), expand(tt.wantErr))
			}
			data, _ := os.ReadFile(path)
			if got := strings.Contains(string(data), marker); got != tt.wantMarker {
				t.Errorf("settings.xml has the marker: %v, want %v\n%s", got, tt.wantMarker, data)
			}
			if tt.wantMarker && strings.Contains(string(data), "${env.") {
				t.Errorf("settings.xml still refers to an env var:\n%s", data)
			}
			gotExt, err := os.ReadFile(ext)
			if tt.wantExt == "" && err == nil || tt.wantExt != "" && string(gotExt) != tt.wantExt {
				t.Errorf("extensions.xml = %q (%v), want %q", gotExt, err, tt.wantExt)
			}
		})
	}
}
