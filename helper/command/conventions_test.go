package command

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
)

// helpFlags are the flag names (without dashes) listed under OPTIONS in help.
func helpFlags(help string) []string {
	_, opts, _ := strings.Cut(help, "OPTIONS:")
	var names []string
	for _, line := range strings.Split(opts, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "-") {
			continue
		}
		spec, _, _ := strings.Cut(line, "  ")
		for _, part := range strings.Split(spec, ", ") {
			name, _, _ := strings.Cut(part, " ")
			names = append(names, strings.TrimLeft(name, "-"))
		}
	}
	sort.Strings(names)
	return names
}

// definedFlags are the names of cmd's visible flags, with help's.
func definedFlags(cmd *cli.Command) []string {
	names := []string{"help", "h"}
	for _, f := range cmd.VisibleFlags() {
		names = append(names, f.Names()...)
	}
	sort.Strings(names)
	return names
}

func TestHelpListsExactlyTheCommandsFlags(t *testing.T) {
	sys := newSystem(t)
	app := newApp(&cmdenv.Env{System: sys.system("", nil, nil)})
	checked := 0
	var walk func(path []string, cmds []*cli.Command)
	walk = func(path []string, cmds []*cli.Command) {
		for _, cmd := range cmds {
			if cmd.Hidden || len(cmd.Subcommands) > 0 {
				if len(cmd.Subcommands) > 0 {
					walk(append(path, cmd.Name), cmd.Subcommands)
				}
				continue
			}
			args := append(append(slices.Clone(path), cmd.Name), "--help")
			code, out, errOut := sys.run(args...)
			if code != 0 {
				t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
				continue
			}
			checked++
			if got, want := helpFlags(out), definedFlags(cmd); !slices.Equal(got, want) {
				t.Errorf("%v lists %v, defines %v", args, got, want)
			}
			if strings.Contains(out, "(env ") {
				t.Errorf("%v: a variable in the (env X) style, want [$X]:\n%s", args, out)
			}
		}
	}
	walk(nil, app.Commands)
	if checked < 14 {
		t.Errorf("checked the help of %d commands, want every one", checked)
	}
}

func TestCommandsTakeOnlyTheFlagsTheyRead(t *testing.T) {
	tokenFlags := []string{"duration", "min-ttl", "timeout"}
	tests := []struct {
		cmd          string
		want, absent []string
	}{
		{cmd: "status", want: []string{"cache", "debug", "format"}, absent: append(tokenFlags, "domain", "target")},
		{cmd: "erase", want: []string{"cache", "all", "domain", "target", "config", "format"}, absent: tokenFlags},
		{cmd: "get", want: append(tokenFlags, "cache", "domain", "shell")},
		{cmd: "settings", want: []string{"timeout", "dry-run", "format"}, absent: []string{"duration", "min-ttl", "cache"}},
		{cmd: "version", want: []string{"format"}, absent: []string{"debug"}},
	}
	for _, tt := range tests {
		t.Run(tt.cmd, func(t *testing.T) {
			sys := newSystem(t)
			_, out, _ := sys.run(tt.cmd, "--help")
			got := helpFlags(out)
			for _, f := range tt.want {
				if !slices.Contains(got, f) {
					t.Errorf("help lacks --%s: %v", f, got)
				}
			}
			for _, f := range tt.absent {
				if slices.Contains(got, f) {
					t.Errorf("help lists --%s, which %s does not read", f, tt.cmd)
				}
				if code, _, errOut := sys.run(tt.cmd, "--"+f, "1h"); code != 2 || !strings.Contains(errOut, "unknown flag --"+f) {
					t.Errorf("%s --%s: exit %d, stderr %q; want 2, unknown flag", tt.cmd, f, code, errOut)
				}
			}
		})
	}
}

func TestHelpCommandIsHelpFlag(t *testing.T) {
	sys := newSystem(t)
	for _, args := range [][]string{{"get"}, {"maven", "install"}, {"status"}} {
		_, want, _ := sys.run(append(args, "--help")...)
		code, got, errOut := sys.run(append([]string{"help"}, args...)...)
		if code != 0 || got != want || !strings.Contains(got, "USAGE:") {
			t.Errorf("help %v: exit %d, %q, %s; want %q", args, code, got, errOut, want)
		}
	}
}

func TestVersionFlag(t *testing.T) {
	sys := newSystem(t)
	_, want, _ := sys.run("version")
	if !strings.HasPrefix(want, "ca-helper ") {
		t.Fatalf("version printed %q", want)
	}
	for _, args := range [][]string{{"--version"}, {"-v"}} {
		code, out, errOut := sys.run(args...)
		if code != 0 || out != want || errOut != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 0, %q", args, code, out, errOut, want)
		}
	}
	code, out, _ := sys.run("version", "--format", "json")
	var b buildInfo
	if err := json.Unmarshal([]byte(out), &b); code != 0 || err != nil || b.Version == "" || b.Go == "" || b.OS == "" {
		t.Errorf("version --format json: exit %d, %q (%v)", code, out, err)
	}
}

func TestUnexpectedArguments(t *testing.T) {
	for _, args := range [][]string{
		{"get", "extra"}, {"get", "--domain", "d", "extra"}, {"erase", "x"}, {"status", "x"}, {"settings", "x"},
		{"policy", "x"}, {"doctor", "x"}, {"setup", "x"}, {"endpoint", "x"}, {"version", "x"}, {"maven", "install", "x"},
		{"completion"}, {"completion", "bash", "zsh"}, {"completion", "tcsh"}, {"exec"},
		{"bazel-credential", "get", "x"}, {"bazel-credential"}, {"credential", "get", "x"}, {"cargo-credential", "x"},
	} {
		sys := newSystem(t)
		code, out, errOut := sys.run(args...)
		if code != 2 || out != "" || !strings.Contains(errOut, "ca-helper: hint: ") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2, a hint, no output", args, code, out, errOut)
		}
	}
}

func TestTypoSuggestions(t *testing.T) {
	tests := []struct {
		args      []string
		err, hint string
	}{
		{[]string{"gte"}, `unknown command "gte"`, "did you mean get?"},
		{[]string{"stauts"}, `unknown command "stauts"`, "did you mean status?"},
		{[]string{"maven", "instal"}, `unknown command "instal"`, "did you mean install?"},
		{[]string{"help", "gte"}, `unknown command "gte"`, "did you mean get?"},
		{[]string{"xyzzy"}, `unknown command "xyzzy"`, "run `ca-helper --help` for the list of commands"},
		{[]string{"get", "--domian", "d"}, "unknown flag --domian", "did you mean --domain?"},
		{[]string{"status", "--cahce", "file"}, "unknown flag --cahce", "did you mean --cache?"},
		{[]string{"--verison"}, "unknown flag --verison", "did you mean --version?"},
		{[]string{"get", "--zzzzzz"}, "unknown flag --zzzzzz", "run with --help to see the flags"},
	}
	for _, tt := range tests {
		sys := newSystem(t)
		code, out, errOut := sys.run(tt.args...)
		want := "ca-helper: error: " + tt.err + "\nca-helper: hint: " + tt.hint + "\n"
		if code != 2 || out != "" || errOut != want {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2, nothing, %q", tt.args, code, out, errOut, want)
		}
	}
}

func TestExecCommandNotRunnable(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain")
	if err := os.WriteFile(plain, []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, cmd string
		code      int
		err       string
	}{
		{"missing path", filepath.Join(dir, "missing"), 127, "not found"},
		{"missing name", "ca-helper-no-such-command", 127, "not found"},
		{"directory", dir, 126, "is a directory"},
		{"not executable", plain, 126, "is not executable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.code == 126 && isWindows() {
				t.Skip("Windows has no execute bit, and runs no directory")
			}
			code, out, errOut := newSystem(t).run("exec", "--", tt.cmd)
			if code != tt.code || out != "" || !strings.Contains(errOut, tt.err) {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d, %q", code, out, errOut, tt.code, tt.err)
			}
		})
	}
}
