package test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
	"github.com/ca-helper/ca-helper/test/testenv"
)

const profileMarker = "# added by ca-helper install.sh"

// TestInstallScriptPath: when ~/.local/bin is not on PATH, install.sh prints
// the line for the user's shell, and writes it to that shell's profile only
// when asked (--add-to-path, or y on a terminal outside CI), once.
func TestInstallScriptPath(t *testing.T) {
	script := testenv.Tool(t, "script", "apt-get install -y bsdutils")
	tests := []struct {
		name, shell string
		args        []string
		tty         string // typed on a terminal; "" runs without one
		ci          bool
		profile     string // relative to HOME; "" when nothing may be written
		line        string
	}{
		{"no terminal: only says", "/bin/bash", nil, "", false, "", `export PATH="$HOME/.local/bin:$PATH"`},
		{"terminal, no", "/bin/bash", nil, "\n", false, "", `export PATH="$HOME/.local/bin:$PATH"`},
		{"terminal, yes", "/bin/bash", nil, "y\n", false, ".bashrc", `export PATH="$HOME/.local/bin:$PATH"`},
		{"terminal in CI: no question", "/bin/bash", nil, "y\n", true, "", `export PATH="$HOME/.local/bin:$PATH"`},
		{"--add-to-path, zsh", "/usr/bin/zsh", []string{"--add-to-path"}, "", false, ".zshrc", `export PATH="$HOME/.local/bin:$PATH"`},
		{"--add-to-path, fish", "/usr/bin/fish", []string{"--add-to-path"}, "", false, ".config/fish/config.fish", `fish_add_path "$HOME/.local/bin"`},
		{"--add-to-path, another shell", "/bin/dash", []string{"--add-to-path"}, "", true, ".profile", `export PATH="$HOME/.local/bin:$PATH"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := installHarness(t, tt.shell, tt.ci)
			for run := range 2 { // the second run must change nothing
				r := runInstall(t, h, script, tt.args, tt.tty)
				if r.code != 0 {
					t.Fatalf("install.sh run %d: %s", run+1, r)
				}
				if !strings.Contains(r.stderr, "\n    "+tt.line+"\n") {
					t.Errorf("install.sh did not print %q for this shell:\n%s", tt.line, r.stderr)
				}
				asked := strings.Contains(r.stderr, "[y/N]")
				// Asked until the line is in the profile.
				if wantAsk := tt.tty != "" && !tt.ci && (run == 0 || tt.profile == ""); asked != wantAsk {
					t.Errorf("install.sh run %d asked: %v, want %v\n%s", run+1, asked, wantAsk, r.stderr)
				}
			}
			wantProfileLine(t, h.home, tt.profile, tt.line)
		})
	}
}

func installHarness(t *testing.T, shell string, ci bool) *harness {
	t.Helper()
	h := newHarness(t, fake.Options{})
	h.env["PATH"] = pathWithout(t, "ca-helper")
	h.env["SHELL"] = shell
	for _, name := range []string{"GOCACHE", "GOPATH", "GOMODCACHE"} {
		h.env[name] = goEnv(t, name)
	}
	h.env["GOFLAGS"] = "-mod=mod"
	if ci {
		h.env["CI"] = "true"
	}
	return h
}

// runInstall runs install.sh ARGS, on a terminal that types tty when tty is
// not empty (through script(1)), else with stdin not a terminal.
func runInstall(t *testing.T, h *harness, script string, args []string, tty string) result {
	t.Helper()
	root, _ := filepath.Abs("..")
	install := filepath.Join(root, "install.sh")
	if tty == "" {
		return h.runIn(root, nil, install, args...)
	}
	cmdline := shellQuote(install)
	for _, a := range args {
		cmdline += " " + shellQuote(a)
	}
	r := h.runIn(root, []byte(tty), script, "-qec", cmdline, "/dev/null")
	r.stderr, r.stdout = r.stdout+r.stderr, "" // a terminal has one stream
	r.stderr = strings.ReplaceAll(r.stderr, "\r\n", "\n")
	return r
}

// wantProfileLine: the profile holds the marked line exactly once (or no
// profile file was written at all), and for sh-like shells the line, read by
// sh, puts the installed ca-helper on PATH.
func wantProfileLine(t *testing.T, home, profile, line string) {
	t.Helper()
	for _, p := range []string{".bashrc", ".zshrc", ".profile", ".config/fish/config.fish"} {
		data, err := os.ReadFile(filepath.Join(home, p))
		if p != profile {
			if err == nil {
				t.Errorf("install.sh wrote %s:\n%s", p, data)
			}
			continue
		}
		if n := strings.Count(string(data), line+"  "+profileMarker+"\n"); n != 1 {
			t.Errorf("%s holds the marked line %d times, want 1:\n%s", p, n, data)
		}
	}
	if profile == "" || strings.HasPrefix(line, "fish") {
		return
	}
	out, err := runCmdEnv([]string{"HOME=" + home, "PATH=/usr/bin:/bin"}, "sh", "-c",
		`. "$HOME/`+profile+`" && command -v ca-helper`)
	if want := filepath.Join(home, ".local", "bin", "ca-helper"); err != nil || strings.TrimSpace(out) != want {
		t.Errorf("sourcing %s: ca-helper is %q (%v), want %s", profile, out, err, want)
	}
}
