package test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// TestUnwritableCacheStillPrintsToken makes writing the cache fail in ways
// that hold for root too (the tests run as root in CI): the token is printed
// anyway, with a warning, and nothing half-written stays behind.
func TestUnwritableCacheStillPrintsToken(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, h *harness) // makes h.cache unwritable
	}{
		{"cache dir below a regular file", func(t *testing.T, h *harness) {
			file := filepath.Join(h.home, "not-a-dir")
			if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
			h.cache = filepath.Join(file, "cache")
			h.env["CA_HELPER_CACHE_DIR"] = h.cache
		}},
		{"immutable cache dir", func(t *testing.T, h *harness) {
			mkdirPrivate(t, h.cache)
			if out, err := exec.Command("chattr", "+i", h.cache).CombinedOutput(); err != nil {
				t.Skipf("chattr +i not possible here (needs CAP_LINUX_IMMUTABLE and ext4/xfs): %v %s", err, out)
			}
			t.Cleanup(func() { exec.Command("chattr", "-i", h.cache).Run() })
		}},
		{"read-only file system", func(t *testing.T, h *harness) {
			mountTmpfs(t, h.cache, "ro,mode=0700")
		}},
		{"file system full", func(t *testing.T, h *harness) {
			mountTmpfs(t, h.cache, "size=4k,mode=0700")
			fill := filepath.Join(h.cache, "fill")
			err := os.WriteFile(fill, make([]byte, 64<<10), 0o600)
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("filling the 4k tmpfs: %v, want ENOSPC", err)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, fake.Options{})
			tc.setup(t, h)
			r := h.run("ca-helper", "get")
			t.Logf("exit %d after %s, stderr:\n%s", r.code, r.took, r.stderr)
			if r.code != 0 || !h.fake.ValidToken(strings.TrimSuffix(r.stdout, "\n")) {
				t.Fatalf("want the token despite the cache: %s", r)
			}
			if !strings.Contains(r.stderr, "ca-helper: warning: could not cache the token") {
				t.Errorf("no warning that the token was not cached:\n%s", r.stderr)
			}
			for _, line := range strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n") {
				if !strings.HasPrefix(line, "ca-helper: warning: ") {
					t.Errorf("stderr line is not a warning: %q", line)
				}
			}
			if left, _ := filepath.Glob(filepath.Join(h.cache, "*.json")); len(left) != 0 {
				t.Errorf("entries written: %v", left)
			}
			if tmp, _ := filepath.Glob(filepath.Join(h.cache, ".*")); len(tmp) != 0 {
				t.Errorf("temp files left: %v", tmp)
			}
		})
	}
}

func mkdirPrivate(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
}

// mountTmpfs mounts a tmpfs with opts on dir until the test ends. It skips
// where mounting is not allowed (not root, no CAP_SYS_ADMIN).
func mountTmpfs(t *testing.T, dir, opts string) {
	t.Helper()
	mkdirPrivate(t, dir)
	flags := uintptr(syscall.MS_NOSUID | syscall.MS_NODEV)
	if strings.HasPrefix(opts, "ro,") {
		flags |= syscall.MS_RDONLY
		opts = strings.TrimPrefix(opts, "ro,")
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", flags, opts); err != nil {
		if errors.Is(err, syscall.EPERM) {
			t.Skipf("mounting a tmpfs needs CAP_SYS_ADMIN: %v", err)
		}
		t.Fatalf("mount tmpfs on %s: %v", dir, err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
}
