package test

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// setupThreeRuns runs `ca-helper setup ARGS…` three times, as each tool's
// test starts: with --dry-run it prints diffLine and writes nothing at
// path; then it writes want to path, prints the path, and names hint on
// stderr ("": not looked for); run again, it leaves the file byte for byte
// and says unchanged. It returns the file.
func setupThreeRuns(t *testing.T, h *harness, args []string, path, diffLine, want, hint string) []byte {
	t.Helper()
	args = append([]string{"setup"}, args...)
	r := h.run("ca-helper", append(args, "--dry-run")...)
	if r.code != 0 || !strings.Contains(r.stdout, diffLine+"\n") || fileExists(path) {
		t.Fatalf("setup --dry-run wrote %s or printed no diff: %s", path, r)
	}
	r = h.run("ca-helper", args...)
	first, _ := os.ReadFile(path)
	if r.code != 0 || r.stdout != path+"\n" || string(first) != want || !strings.Contains(r.stderr, hint) {
		t.Fatalf("setup: %s\n%s holds %q, want %q", r, path, first, want)
	}
	r = h.run("ca-helper", args...)
	if again, _ := os.ReadFile(path); r.code != 0 || !bytes.Equal(again, first) || !strings.Contains(r.stderr, "unchanged") {
		t.Fatalf("a second setup changed %s or did not say unchanged: %s\n%q", path, r, again)
	}
	return first
}
