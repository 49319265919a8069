package test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// TestMavenExtensionFailsBeforeAnyDownload: when no token can be had, plain
// mvn stops before its first request with ca-helper's own message, never with
// a 401 and never by going on without credentials.
func TestMavenExtensionFailsBeforeAnyDownload(t *testing.T) {
	in := installWithExtension(t)
	const notAToken = "looks-like-a-token-but-two-lines"
	tests := []struct {
		name     string
		env      map[string]string
		password string   // replaces the marker in settings.xml when set
		args     []string // extra Maven args
		want     []string // all in Maven's output
	}{
		{name: "no AWS credentials", env: map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""},
			want: []string{"[ERROR] ca-helper: no CodeArtifact token for server releases: ca-helper get --domain demo",
				"failed (exit 3):\nca-helper: error: get AWS credentials: no credentials", "\nca-helper: hint: configure AWS credentials"}},
		{name: "flag that would change the output", password: "{ca-helper:--format json}",
			want: []string{`[ERROR] ca-helper: server "releases" in settings.xml: bad ca-helper password "{ca-helper:--format json}": flag "--format" is not allowed here`}},
		{name: "malformed marker", password: "{ca-helper--target work}",
			want: []string{"bad ca-helper password", "want {ca-helper} or {ca-helper:--target NAME}"}},
		{name: "flag without a value", password: "{ca-helper:--target}",
			want: []string{`bad ca-helper password "{ca-helper:--target}": flag --target needs a value`}},
		{name: "marker of today's form with a bad flag", password: "{[name=ca-helper,version=1]--format json}",
			want: []string{`bad ca-helper password "{[name=ca-helper,version=1]--format json`, `: flag "--format" is not allowed here`}},
		{name: "ca-helper not installed", args: []string{"-Dca-helper.path=/nonexistent/ca-helper"},
			want: []string{"cannot run /nonexistent/ca-helper", "hint: install ca-helper (./install.sh) or point -Dca-helper.path at it"}},
		{name: "not ca-helper", args: []string{"-Dca-helper.path=SCRIPT"},
			want: []string{"ca-helper get printed 55 bytes that are not one token line"}},
		{name: "ca-helper hangs", args: []string{"-Dca-helper.path=HANG", "-Dca-helper.timeout=2"},
			want: []string{"hang get did not finish in 2 s", "hint: run ca-helper doctor, or raise -Dca-helper.timeout=SECONDS"}},
		{name: "bad timeout", args: []string{"-Dca-helper.timeout=soon"},
			want: []string{`-Dca-helper.timeout="soon" is not a whole number of seconds above 0`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, fake.Options{UpstreamDir: debianMavenRepo})
			work := t.TempDir()
			copyTree(t, filepath.Join("testdata", "maven", "hello-lib"), filepath.Join(work, "hello-lib"))
			settings := extSettings(t, h, work)
			if tt.password != "" {
				data, _ := os.ReadFile(settings)
				start, end := strings.Index(string(data), "<password>")+len("<password>"), strings.Index(string(data), "</password>")
				writeFile(t, settings, string(data[:start])+tt.password+string(data[end:]))
			}
			script := filepath.Join(work, "not-ca-helper")
			writeFile(t, script, "#!/bin/sh\nprintf '%s\\n%s\\n' "+notAToken+" second-line-of-output\n")
			os.Chmod(script, 0o755)
			hang := filepath.Join(work, "hang")
			writeFile(t, hang, "#!/bin/sh\nexec sleep 30\n")
			os.Chmod(hang, 0o755)
			for k, v := range tt.env {
				h.env[k] = v
			}
			args := mavenArgs(h, settings, filepath.Join(work, "m2"))
			for _, a := range tt.args {
				args = append(args, strings.NewReplacer("SCRIPT", script, "HANG", hang).Replace(a))
			}
			start := time.Now()
			r := h.runIn(filepath.Join(work, "hello-lib"), nil, filepath.Join(in.mavenHome, "bin", "mvn"), append(args, "compile")...)
			out := r.stdout + r.stderr
			if r.code == 0 || strings.Contains(out, "BUILD SUCCESS") {
				t.Fatalf("mvn compile succeeded without a token: %s", r)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("Maven's output lacks %q:\n%s", w, out)
				}
			}
			// 401 as a number of its own: the temp dirs in the output hold random digits.
			if status401.MatchString(out) || strings.Contains(out, "Downloading") || strings.Contains(out, notAToken) {
				t.Errorf("Maven went on, or quoted what the command printed:\n%s", out)
			}
			for _, req := range h.fake.Requests() {
				if req.Op == fake.OpMaven {
					t.Errorf("the fake saw a repository request: %s %s (token %q…)", req.Method, req.Path, req.TokenPrefix)
				}
			}
			t.Logf("mvn failed in %s", time.Since(start).Round(time.Millisecond))
		})
	}
}

// status401 finds an HTTP 401 in Maven's output, not the digits 401 inside a
// longer number.
var status401 = regexp.MustCompile(`(^|[^0-9])401([^0-9]|$)`)
