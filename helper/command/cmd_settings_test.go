package command

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/maven"
)

const settingsURL = "https://my-domain-111122223333.d.codeartifact.eu-west-1.amazonaws.com/maven/releases/"

// settingsSetup isolates the environment, points CODEARTIFACT_URL at a Maven
// repository (so no AWS call is made) and returns a settings.xml path.
func settingsSetup(t *testing.T) (*fakeSystem, string) {
	t.Helper()
	sys := newSystem(t)
	sys.setenv("CODEARTIFACT_URL", settingsURL)
	sys.setenv("AWS_ENDPOINT_URL_CODEARTIFACT", "http://127.0.0.1:1") // a lookup fails fast
	return sys, filepath.Join(t.TempDir(), "m2", "settings.xml")
}

// settingsRun runs ca-helper settings in-process through Run, as main does.
func settingsRun(sys *fakeSystem, args ...string) (code int, stdout, stderr string) {
	sys.t.Helper()
	return sys.run(append([]string{"settings"}, args...)...)
}

func TestSettingsCommand(t *testing.T) {
	const old = "<settings>\n  <servers>\n    <server><id>other</id></server>\n  </servers>\n</settings>\n"
	merged := func(existing string, s maven.Server) string {
		out, err := maven.Merge([]byte(existing), s)
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	releases := maven.Server{ID: "releases", URL: settingsURL}
	tests := []struct {
		name     string
		old      *string // nil: no file
		args     []string
		wantCode int
		wantOut  string // PATH stands for the settings path
		wantErr  string // in stderr
		wantFile *string
		wantBak  bool
	}{
		{name: "new file", args: nil, wantOut: "PATH\n",
			wantErr: `ca-helper: wrote server "releases" to PATH` + "\n", wantFile: ptrTo(merged("", releases))},
		{name: "existing file keeps a backup", old: ptrTo(old), wantOut: "PATH\n",
			wantErr: `ca-helper: wrote server "releases" to PATH (first backup PATH.bak)` + "\n", wantFile: ptrTo(merged(old, releases)), wantBak: true},
		{name: "up to date", old: ptrTo(merged(old, releases)), wantOut: "PATH\n",
			wantErr: `ca-helper: server "releases" in PATH is up to date` + "\n", wantFile: ptrTo(merged(old, releases))},
		{name: "flags", old: ptrTo(old), args: []string{"--server-id", "corp", "--env-var", "MY_TOKEN", "--mirror"}, wantOut: "PATH\n",
			wantErr: `wrote server "corp"`, wantFile: ptrTo(merged(old, maven.Server{ID: "corp", URL: settingsURL, EnvVar: "MY_TOKEN", Mirror: true})), wantBak: true},
		{name: "dry run, no file", args: []string{"--dry-run"}, wantOut: merged("", releases), wantErr: "dry run: PATH not changed"},
		{name: "dry run, existing file", old: ptrTo(old), args: []string{"--dry-run", "--mirror"},
			wantOut: merged(old, maven.Server{ID: "releases", URL: settingsURL, Mirror: true}), wantFile: ptrTo(old)},
		{name: "invalid xml is left alone", old: ptrTo("<settings>\n<servers></server>\n</settings>\n"), wantCode: failure.Usage,
			wantErr: "invalid XML: line 2: element <servers> closed by </server>", wantFile: ptrTo("<settings>\n<servers></server>\n</settings>\n")},
		{name: "not a settings file", old: ptrTo("<project/>"), args: []string{"--dry-run"}, wantCode: failure.Usage,
			wantErr: "ca-helper: hint: fix PATH or move it aside", wantFile: ptrTo("<project/>")},
		{name: "bad env var", args: []string{"--env-var", "MY-TOKEN"}, wantCode: failure.Usage, wantErr: "invalid environment variable name"},
		{name: "bad server id", args: []string{"--server-id", "a b"}, wantCode: failure.Usage, wantErr: "invalid server id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sys, path := settingsSetup(t)
			if tt.old != nil {
				writeSettings(t, path, *tt.old)
			}
			code, stdout, stderr := settingsRun(sys, append([]string{"--settings-file", path}, tt.args...)...)
			expand := func(s string) string { return strings.ReplaceAll(s, "PATH", path) }
			if code != tt.wantCode || stdout != expand(tt.wantOut) || !strings.Contains(stderr, expand(tt.wantErr)) {
				t.Errorf("code %d, stdout %q, stderr %q\nwant code %d, stdout %q, stderr with %q",
					code, stdout, stderr, tt.wantCode, expand(tt.wantOut), expand(tt.wantErr))
			}
			checkSettingsFile(t, path, tt.wantFile)
			if info, err := os.Stat(path); strings.Contains(tt.wantErr, "wrote server") && (err != nil || info.Mode().Perm() != 0o600) {
				t.Errorf("written file: %v, %v; want mode 0600", info, err)
			}
			if _, err := os.Stat(path + ".bak"); (err == nil) != tt.wantBak {
				t.Errorf("backup exists: %v, want %v", err == nil, tt.wantBak)
			}
		})
	}
}

func TestSettingsNeedsRepository(t *testing.T) {
	sys, path := settingsSetup(t)
	sys.setenv("CODEARTIFACT_URL", "")
	code, stdout, stderr := settingsRun(sys, "--settings-file", path,
		"--domain", "my-domain", "--domain-owner", "111122223333", "--region", "eu-west-1")
	if code != failure.Usage || stdout != "" || !strings.Contains(stderr, "ca-helper: error: no repository given\nca-helper: hint: pass --repository") {
		t.Errorf("code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	checkSettingsFile(t, path, nil)
}

func TestSettingsDefaultPath(t *testing.T) {
	sys, _ := settingsSetup(t)
	home := t.TempDir()
	sys.setenv("HOME", home)
	sys.setenv("USERPROFILE", home)
	path := filepath.Join(home, ".m2", "settings.xml")
	if code, stdout, stderr := settingsRun(sys); code != 0 || stdout != path+"\n" {
		t.Fatalf("code %d, stdout %q, stderr %q; want %s", code, stdout, stderr, path)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("settings.xml: %v, %v; want mode 0600", info, err)
	}
	other := filepath.Join(home, "other.xml")
	sys.setenv("CA_HELPER_SETTINGS_FILE", "~/other.xml")
	if code, stdout, _ := settingsRun(sys); code != 0 || stdout != other+"\n" {
		t.Errorf("with CA_HELPER_SETTINGS_FILE: code %d, stdout %q; want %s", code, stdout, other)
	}
}

// TestSettingsNeverWritesToken: with the token in the environment and --debug,
// no stream or file holds it; the file refers to the variable instead.
func TestSettingsNeverWritesToken(t *testing.T) {
	const token = "tok3n.SECRET-value"
	sys, path := settingsSetup(t)
	sys.setenv("CODEARTIFACT_AUTH_TOKEN", token)
	writeSettings(t, path, "<settings/>")
	for _, args := range [][]string{{"--dry-run"}, nil, {"--mirror"}} {
		_, stdout, stderr := settingsRun(sys, append([]string{"--debug", "--settings-file", path}, args...)...)
		if strings.Contains(stdout+stderr, token) {
			t.Errorf("%v: token in output", args)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(filepath.Dir(path), e.Name()))
		if bytes.Contains(data, []byte(token)) {
			t.Errorf("%s holds the token", e.Name())
		}
	}
	data, _ := os.ReadFile(path)
	if !bytes.Contains(data, []byte("<password>${env.CODEARTIFACT_AUTH_TOKEN}</password>")) {
		t.Errorf("settings.xml lacks the ${env.CODEARTIFACT_AUTH_TOKEN} password:\n%s", data)
	}
}

func ptrTo(s string) *string { return &s }

func writeSettings(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkSettingsFile asserts path holds want (nil: does not exist).
func checkSettingsFile(t *testing.T, path string, want *string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if want == nil {
		if err == nil {
			t.Errorf("%s exists, want none", path)
		}
		return
	}
	if err != nil || string(data) != *want {
		t.Errorf("%s = %q, %v\nwant %q", path, data, err, *want)
	}
}
