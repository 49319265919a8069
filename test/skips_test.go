package test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMissingToolSkipsOutsideCIAndFailsInCI runs the Cargo test in a child
// `go test` with Cargo absent or unusable (rustup's proxy with no default
// toolchain): outside CI it must skip and say why and what fixes it; in CI it
// must fail, so a machine that lost a tool cannot pass by skipping.
func TestMissingToolSkipsOutsideCIAndFailsInCI(t *testing.T) {
	noCargo := pathWithout(t, "cargo")
	broken := t.TempDir()
	writeFile(t, filepath.Join(broken, "cargo"), "#!/bin/sh\n"+
		"echo 'error: rustup could not choose a version of cargo to run, because one wasn'\\''t specified explicitly, and no default is configured.' >&2\n"+
		"exit 1\n")
	if err := os.Chmod(filepath.Join(broken, "cargo"), 0o755); err != nil {
		t.Fatal(err)
	}
	unusable := broken + string(os.PathListSeparator) + noCargo
	tests := []struct {
		name, path string
		ci         bool
		want       []string
		wantCode   int
	}{
		{"no cargo, outside CI", noCargo, false,
			[]string{"--- SKIP: TestCargoThroughCredentialProvider", "cargo is not on PATH; fix: " + cargoFix}, 0},
		{"no cargo, in CI", noCargo, true,
			[]string{"--- FAIL: TestCargoThroughCredentialProvider", "cargo is not on PATH; fix: " + cargoFix, "in CI every test must run"}, 1},
		{"rustup without a default, outside CI", unusable, false,
			[]string{"--- SKIP: TestCargoThroughCredentialProvider", "cargo is not usable (cargo --version: error: rustup could not choose a version of cargo", "fix: " + cargoFix}, 0},
		{"rustup without a default, in CI", unusable, true,
			[]string{"--- FAIL: TestCargoThroughCredentialProvider", "rustup could not choose a version of cargo", "in CI every test must run"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, code := childTest(t, tt.path, tt.ci, "^TestCargoThroughCredentialProvider$")
			if code != tt.wantCode {
				t.Errorf("child go test exited %d, want %d:\n%s", code, tt.wantCode, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("child output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// childTest runs `go test -run RUN` on this package with PATH and CI set.
func childTest(t *testing.T, path string, ci bool, run string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, goBin, "test", "-count=1", "-v", "-run", run, ".")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PATH=") && !strings.HasPrefix(kv, "CI=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "PATH="+path)
	if ci {
		cmd.Env = append(cmd.Env, "CI=true")
	}
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out), ee.ExitCode()
	} else if err != nil {
		t.Fatalf("go test: %v\n%s", err, out)
	}
	return string(out), 0
}

// pathWithout is PATH less every directory holding name, with go still
// reachable (through a directory of its own if it shared one with name).
func pathWithout(t *testing.T, name string) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	var keep []string
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if !fileExists(filepath.Join(dir, name)) {
			keep = append(keep, dir)
		}
	}
	if !fileExists(filepath.Join(filepath.Dir(goBin), name)) {
		return strings.Join(keep, string(os.PathListSeparator))
	}
	own := t.TempDir()
	if err := os.Symlink(goBin, filepath.Join(own, "go")); err != nil {
		t.Fatal(err)
	}
	return strings.Join(append([]string{own}, keep...), string(os.PathListSeparator))
}
