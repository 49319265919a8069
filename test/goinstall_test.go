package test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// TestGoInstallBothEntryPoints is the README's `go install` path: both
// entry points into one GOBIN, then that ca-helper (and no other on PATH)
// fetches a token through the ca-helper-aws next to it, and a second get
// is served from the cache.
func TestGoInstallBothEntryPoints(t *testing.T) {
	root, _ := filepath.Abs("..")
	gobin := t.TempDir()
	cmd := exec.Command("go", "install", ".", "./cmd/ca-helper-aws")
	cmd.Dir = root
	cmd.Env = append(withoutEnv("GOBIN"), "GOBIN="+gobin)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go install: %v\n%s", err, b)
	}
	for _, name := range []string{"ca-helper", "ca-helper-aws"} {
		if !fileExists(filepath.Join(gobin, name)) {
			t.Fatalf("go install made no %s in GOBIN", name)
		}
	}
	h := newHarness(t, fake.Options{})
	h.env["PATH"] = gobin + string(os.PathListSeparator) + "/usr/bin:/bin" // not the harness's binaries
	r := h.run(filepath.Join(gobin, "ca-helper"), "get")
	if r.code != 0 || !h.fake.ValidToken(strings.TrimSpace(r.stdout)) {
		t.Fatalf("get with the go-installed binaries: %s", r)
	}
	if again := h.run(filepath.Join(gobin, "ca-helper"), "get"); again.stdout != r.stdout || h.fake.TokenCalls() != 1 {
		t.Fatalf("second get: %s (token calls %d, want 1)", again, h.fake.TokenCalls())
	}
	var v struct{ Version, Go string }
	out := h.run(filepath.Join(gobin, "ca-helper"), "version", "--format", "json")
	if err := json.Unmarshal([]byte(out.stdout), &v); err != nil || v.Version == "" || v.Go == "" {
		t.Errorf("version --format json of a go install build: %s", out)
	}
}
