package command

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/keyring"
)

func TestStatusJSON(t *testing.T) {
	vars, exp := credSetup(t)
	code, out, errOut := credRun(vars, "", "status", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		Storage string `json:"storage"`
		Tokens  []struct {
			Label       string `json:"label"`
			Backend     string `json:"backend"`
			Expiration  string `json:"expiration"`
			SecondsLeft int64  `json:"seconds_left"`
		} `json:"tokens"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if doc.Storage != "file" || len(doc.Tokens) != 2 {
		t.Fatalf("got %+v", doc)
	}
	for _, it := range doc.Tokens {
		when, err := time.Parse(time.RFC3339, it.Expiration)
		left := time.Until(exp).Seconds()
		if !strings.Contains(it.Label, "CodeArtifact token") || it.Backend != "file" || err != nil || !when.Equal(exp) ||
			float64(it.SecondsLeft) > left+1 || float64(it.SecondsLeft) < left-60 {
			t.Errorf("entry %+v; want file, expiring %s, %.0fs left", it, exp.UTC().Format(time.RFC3339), left)
		}
	}
	if strings.Contains(out+errOut, credToken) || strings.Contains(out+errOut, credProxy) {
		t.Errorf("status printed a token: %s", out)
	}
}

func TestEraseJSON(t *testing.T) {
	vars, _ := credSetup(t)
	code, out, errOut := credRun(vars, "", "erase", "--all", "--format", "json")
	var doc struct {
		Storage string   `json:"storage"`
		Erased  []string `json:"erased"`
	}
	if err := json.Unmarshal([]byte(out), &doc); code != 0 || err != nil {
		t.Fatalf("exit %d, %q (%v): %s", code, out, err, errOut)
	}
	if doc.Storage != "file" || len(doc.Erased) != 2 || !strings.Contains(doc.Erased[0], "CodeArtifact token") {
		t.Errorf("got %+v", doc)
	}
	if strings.Contains(out, credToken) {
		t.Errorf("erase printed a token: %s", out)
	}
	code, out, _ = credRun(vars, "", "erase", "--domain", "my-domain", "--domain-owner", "111122223333", "--region", "us-east-1", "--format", "json")
	if err := json.Unmarshal([]byte(out), &doc); code != 0 || err != nil || len(doc.Erased) != 1 {
		t.Errorf("erase one: exit %d, %q", code, out)
	}
	if code, out, _ := credRun(vars, "", "erase", "--all"); code != 0 || out != "" {
		t.Errorf("erase as text: exit %d, stdout %q; want 0, nothing", code, out)
	}
}

// fakeTerminal is a stdout that says it is a terminal, as os.Stdout on one does.
type fakeTerminal struct {
	bytes.Buffer
	mode fs.FileMode
}

func (f *fakeTerminal) Stat() (os.FileInfo, error) { return fakeInfo{f.mode}, nil }

type fakeInfo struct{ mode fs.FileMode }

func (i fakeInfo) Name() string       { return "stdout" }
func (i fakeInfo) Size() int64        { return 0 }
func (i fakeInfo) Mode() fs.FileMode  { return i.mode }
func (i fakeInfo) ModTime() time.Time { return time.Time{} }
func (i fakeInfo) IsDir() bool        { return false }
func (i fakeInfo) Sys() any           { return nil }

func TestStatusHeaderOnlyOnTerminal(t *testing.T) {
	items := []keyring.Item{{Key: keyring.Key{Label: "CodeArtifact token d-111122223333 (us-east-1)"}, Backend: "file",
		Expiration: time.Now().Add(2 * time.Hour)}}
	for _, tt := range []struct {
		name   string
		mode   fs.FileMode
		header bool
	}{
		{"terminal", fs.ModeDevice | fs.ModeCharDevice, true},
		{"pipe", fs.ModeNamedPipe, false},
		{"file", 0, false},
	} {
		out := &fakeTerminal{mode: tt.mode}
		e := &cmdenv.Env{System: cmdenv.System{Stdout: out, Stderr: &bytes.Buffer{}, Now: time.Now}}
		if err := writeStatusText(e, "file", items); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		if got := lines[0] == "TARGET\tSTORAGE\tEXPIRES"; got != tt.header || len(lines) != 1+map[bool]int{true: 1}[tt.header] {
			t.Errorf("%s: printed %q, header %v", tt.name, out.String(), tt.header)
		}
	}
	if isTerminal(&bytes.Buffer{}) {
		t.Error("a buffer is not a terminal")
	}
}

func TestGetEnvShells(t *testing.T) {
	vars, _ := credSetup(t)
	args := []string{"get", "--target", "work", "--format", "env"}
	_, sh, errOut := credRun(vars, "", append(args, "--shell", "sh")...)
	if !strings.HasPrefix(sh, "export CODEARTIFACT_AUTH_TOKEN=") {
		t.Fatalf("--shell sh printed %q: %s", sh, errOut)
	}
	for _, shell := range []string{"bash", "zsh"} {
		if code, out, errOut := credRun(vars, "", append(args, "--shell", shell)...); code != 0 || out != sh {
			t.Errorf("--shell %s: exit %d, %q, %s; want sh's %q", shell, code, out, errOut, sh)
		}
	}
	code, out, errOut := newSystem(t).run(append(args, "--shell", "tcsh")...)
	if code != 2 || out != "" || !strings.Contains(errOut, "sh, bash, zsh, fish, powershell") {
		t.Errorf("--shell tcsh: exit %d, %q, %s", code, out, errOut)
	}
}

func TestSettingsDryRunJSON(t *testing.T) {
	sys, path := settingsSetup(t)
	code, out, errOut := settingsRun(sys, "--settings-file", path, "--dry-run", "--format", "json")
	var doc dryRunDoc
	if err := json.Unmarshal([]byte(out), &doc); code != 0 || err != nil {
		t.Fatalf("exit %d, %q (%v): %s", code, out, err, errOut)
	}
	if doc.SettingsFile != path || doc.ServerID == "" || doc.URL != settingsURL || doc.EnvVar != "CODEARTIFACT_AUTH_TOKEN" ||
		!strings.Contains(doc.Settings, "<server>") || !strings.Contains(doc.Settings, "${env.CODEARTIFACT_AUTH_TOKEN}") {
		t.Errorf("got %+v", doc)
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("the dry run wrote the settings file")
	}
	code, out, errOut = settingsRun(sys, "--settings-file", filepath.Join(t.TempDir(), "s.xml"), "--format", "json")
	if code != 2 || out != "" || !strings.Contains(errOut, "--format json needs --dry-run") {
		t.Errorf("json without --dry-run: exit %d, %q, %s", code, out, errOut)
	}
}

// dryRunDoc is the JSON of settings --dry-run --format json, as a script reads it.
type dryRunDoc struct {
	SettingsFile string `json:"settings_file"`
	ServerID     string `json:"server_id"`
	URL          string `json:"url"`
	EnvVar       string `json:"env_var"`
	Settings     string `json:"settings"`
}

// status and erase read only --cache: a bad setting of an option they do not
// use stops get but not them, and a bad --cache still stops them.
func TestCacheCommandsCheckOnlyTheCacheOption(t *testing.T) {
	target := []string{"--domain", "my-domain", "--domain-owner", "111122223333", "--region", "eu-west-1"}
	for _, tt := range []struct {
		name, env, value string
		want             int
	}{
		{"bad duration", "CA_HELPER_DURATION", "forever", 0},
		{"bad min-ttl", "CA_HELPER_MIN_TTL", "-1h", 0},
		{"bad timeout", "CA_HELPER_TIMEOUT", "1ns", 0},
		{"bad cache", "CA_HELPER_CACHE", "cloud", failure.Usage},
	} {
		for _, args := range [][]string{{"status"}, append([]string{"erase"}, target...), {"erase", "--all"}} {
			t.Run(tt.name+"/"+strings.Join(args[:1], " "), func(t *testing.T) {
				s := newSystem(t)
				s.setenv("CA_HELPER_CACHE", "file")
				if err := os.Chmod(s.getenv("CA_HELPER_CACHE_DIR"), 0o700); err != nil {
					t.Fatal(err)
				}
				s.setenv(tt.env, tt.value)
				code, stdout, stderr := s.run(args...)
				if code != tt.want {
					t.Fatalf("%v with %s=%s: exit %d, want %d; stdout %q stderr %q", args, tt.env, tt.value, code, tt.want, stdout, stderr)
				}
			})
		}
		t.Run(tt.name+"/get", func(t *testing.T) {
			s := newSystem(t)
			s.setenv(tt.env, tt.value)
			if code, _, stderr := s.run(append([]string{"get"}, target...)...); code != failure.Usage || !strings.Contains(stderr, tt.env) {
				t.Errorf("get with %s=%s: exit %d, want %d naming the variable: %s", tt.env, tt.value, code, failure.Usage, stderr)
			}
		})
	}
}
