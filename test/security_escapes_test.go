package test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// hostile is outside text made to take over a terminal: set the window title,
// erase the line, hide what follows, reverse the rest (U+202E), and a C1 CSI.
const hostile = "\x1b]0;owned\x07\x1b[2K\r\tdenied\u202e\u2066gnp.exe\u2069\u200f\x7f\u009b31m\x1b[8m"

// terminalControl describes the first rune of s a terminal would act on
// instead of showing, "" when there is none. Newlines end lines and pass.
func terminalControl(s string) string {
	for i, r := range s {
		switch {
		case r == '\n':
		case r == utf8.RuneError:
			return fmt.Sprintf("invalid UTF-8 at byte %d", i)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0),
			r >= 0x200b && r <= 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return fmt.Sprintf("%U at byte %d", r, i)
		}
	}
	return ""
}

func wantNoTerminalControl(t *testing.T, stream, s string) {
	t.Helper()
	if c := terminalControl(s); c != "" {
		t.Errorf("%s carries a terminal control (%s): %q", stream, c, s)
	}
}

// A service message is printed in the error line, with its escapes made
// visible, and the hint still follows it.
func TestServiceMessageEscapesNeverReachTheTerminal(t *testing.T) {
	h := newHarness(t, fake.Options{})
	h.fake.SetFault(fake.Fault{Kind: fake.AccessDenied, Message: "User is not authorized " + hostile})
	r := h.run("ca-helper", "get")
	wantFailure(t, r, 3, "access denied")
	wantNoTerminalControl(t, "stderr", r.stderr)
	if !strings.Contains(r.stderr, "\nca-helper: hint: allow codeartifact:GetAuthorizationToken") {
		t.Errorf("the hint line is gone:\n%q", r.stderr)
	}
	if !strings.Contains(r.stderr, `\x1b]0;owned\a`) && !strings.Contains(r.stderr, `\x1b]0;owned\x07`) {
		t.Errorf("the escape is not shown as text:\n%q", r.stderr)
	}
}

// A config file's target names reach errors, warnings and doctor's report;
// none of them may carry the bytes of the name to the terminal.
func TestConfigTargetNameEscapesNeverReachTheTerminal(t *testing.T) {
	const name = `evil\u001b]0;owned\u0007\u001b[2K\u202e` // TOML escapes: the name holds ESC, BEL, U+202E
	cases := []struct {
		name, config string
		args         []string
		code         int
	}{
		{name: "bad field of the default target", config: "default = \"" + name + "\"\n[targets.\"" + name + "\"]\ndomain = \"demo\"\nregion = \"mars\"\n",
			args: []string{"get"}, code: 2},
		{name: "named with a bad field", config: "[targets.\"" + name + "\"]\ndomain = \"demo\"\nregion = \"mars\"\n",
			args: []string{"get", "--target", "evil\x1b]0;owned\x07\x1b[2K\u202e"}, code: 2},
		{name: "listed as known targets", config: "default = \"nope\"\n[targets.\"" + name + "\"]\ndomain = \"demo\"\n",
			args: []string{"get"}, code: 2},
		{name: "unknown key under it", config: "[targets.\"" + name + "\"]\ndomain = \"demo\"\n\"x\\u001b[2J\" = 1\n",
			args: []string{"get"}, code: 2},
		{name: "doctor", config: "default = \"" + name + "\"\n[targets.\"" + name + "\"]\ndomain = \"demo\"\n",
			args: []string{"doctor"}, code: -1},
		{name: "status", config: "default = \"" + name + "\"\n[targets.\"" + name + "\"]\ndomain = \"demo\"\n",
			args: []string{"status"}, code: -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, fake.Options{})
			h.env["CODEARTIFACT_DOMAIN"] = "" // the config's default target applies
			path := filepath.Join(h.home, ".config", "ca-helper", "config.toml")
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(tc.config), 0o600); err != nil {
				t.Fatal(err)
			}
			r := h.run("ca-helper", tc.args...)
			if tc.code >= 0 {
				wantFailure(t, r, tc.code, "")
			}
			wantNoTerminalControl(t, "stderr", r.stderr)
			wantNoTerminalControl(t, "stdout", r.stdout)
		})
	}
}
