//go:build linux || darwin

package test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

const (
	iniKeyID  = "AKIAIOSFODNN7EXAMPLE"
	iniSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)

// runBounded runs ca-helper like h.run, but a run that outlives limit is
// killed and fails the test: the bug these tests catch is a hang.
func (h *harness) runBounded(limit time.Duration, args ...string) result {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(binDir, "ca-helper"), args...)
	cmd.Env = h.environ()
	cmd.WaitDelay = time.Second
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errOut.String(), took: time.Since(start)}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		h.t.Fatalf("ca-helper %s still running after %s: killed\n%s", strings.Join(args, " "), limit, r)
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		h.t.Fatalf("run ca-helper: %v", err)
	}
	return r
}

// A config path that is not a small TOML file is refused with exit 2, at
// once, without a crash, and without quoting what the file holds.
func TestBadConfigFilesAreRefused(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const depth = 10000
	type badFile struct{ path, errPart string }
	files := map[string]badFile{
		"/dev/zero":        {"/dev/zero", "not a regular file"},
		"a directory":      {dir, "not a regular file"},
		"nested arrays":    {write("arrays.toml", "default = "+strings.Repeat("[", depth)+strings.Repeat("]", depth)+"\n"), "nested deeper than"},
		"nested tables":    {write("inline.toml", "default = "+strings.Repeat("{a=", depth)+"1"+strings.Repeat("}", depth)+"\n"), "nested deeper than"},
		"deep header":      {write("header.toml", "["+strings.Repeat("a.", depth)+"b]\n"), "nested deeper than"},
		"deep dotted key":  {write("dotted.toml", strings.Repeat("a.", depth)+"b = 1\n"), "nested deeper than"},
		"1 MiB":            {write("big.toml", "# "+strings.Repeat("x", 1<<20)+"\n"), "64 KiB"},
		"AWS credentials":  {write("credentials", "[default]\naws_access_key_id = "+iniKeyID+"\naws_secret_access_key = "+iniSecret+"\n"), ":2: not valid TOML"},
		"AWS creds, keyed": {write("credentials2", "[default]\naws_secret_access_key = "+iniSecret+"\naws_access_key_id = "+iniKeyID+"\n"), ":2: not valid TOML"},
	}
	fifo := filepath.Join(dir, "fifo.toml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	files["a FIFO"] = badFile{fifo, "not a regular file"}
	for name, f := range files {
		path := f.path
		for _, via := range []string{"flag", "env", "default path"} {
			t.Run(name+" via "+via, func(t *testing.T) {
				h := newHarness(t, fake.Options{})
				h.env["CODEARTIFACT_DOMAIN"] = "" // the config's default target is needed
				args := []string{"get"}
				switch via {
				case "flag":
					args = append(args, "--config", path)
				case "env":
					h.env["CA_HELPER_CONFIG"] = path
				default:
					link := filepath.Join(h.home, ".config", "ca-helper", "config.toml")
					if err := os.MkdirAll(filepath.Dir(link), 0o700); err != nil {
						t.Fatal(err)
					}
					if err := os.Symlink(path, link); err != nil {
						t.Fatal(err)
					}
				}
				r := h.runBounded(10*time.Second, args...)
				wantFailure(t, r, 2, f.errPart)
				wantConfigErrorClean(t, r)
			})
		}
	}
	t.Run("doctor", func(t *testing.T) {
		for _, name := range []string{"AWS credentials", "a FIFO", "/dev/zero", "nested tables"} {
			f := files[name]
			h := newHarness(t, fake.Options{})
			r := h.runBounded(10*time.Second, "doctor", "--config", f.path)
			if r.code != 2 || !strings.Contains(r.stdout, "fail  config") {
				t.Errorf("%s: doctor did not fail the config check with exit 2:\n%s", name, r)
			}
			wantConfigErrorClean(t, r)
		}
	})
}

func wantConfigErrorClean(t *testing.T, r result) {
	t.Helper()
	for _, bad := range []string{"goroutine", "fatal error", "panic", "AKIA", iniSecret, "wJalr"} {
		if strings.Contains(r.stderr, bad) || strings.Contains(r.stdout, bad) {
			t.Errorf("output holds %q:\n%s", bad, r)
		}
	}
}
