//go:build linux || darwin

package test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// TestSignalDuringFetch interrupts a get that waits for a hung service: it
// ends with 128+n and one line, and leaves no lock, temp file or entry.
func TestSignalDuringFetch(t *testing.T) {
	cases := []struct {
		name  string
		sig   syscall.Signal
		group bool // to the process group, as a terminal's Ctrl-C does
		code  int
	}{
		{"SIGINT to ca-helper", syscall.SIGINT, false, 130},
		{"Ctrl-C to the process group", syscall.SIGINT, true, 130},
		{"SIGTERM", syscall.SIGTERM, false, 143},
		{"SIGHUP", syscall.SIGHUP, false, 129},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, fake.Options{})
			h.fake.SetFault(fake.Fault{Kind: fake.Hang})
			p := h.start("ca-helper", "get")
			waitFor(t, "the token call", func() bool { return h.fake.TokenCalls() == 1 })
			if name, ok := h.lockFile(); !ok {
				t.Errorf("want one lock file while fetching, have %q: the test would prove nothing", name)
			}
			p.signal(t, tc.sig, tc.group)
			r := p.wait(t)
			t.Logf("exit %d after %s, stderr %q", r.code, r.took.Round(time.Millisecond), r.stderr)
			if r.code != tc.code || r.stdout != "" || r.stderr != "ca-helper: error: interrupted\n" {
				t.Errorf("want exit %d, no stdout and one line \"ca-helper: error: interrupted\": %s", tc.code, r)
			}
			wantEmptyCacheDir(t, h)
		})
	}
}

// TestSignalWhileWaitingForLock: Ctrl-C ends a get that waits for another
// process's lock at once, not after --timeout.
func TestSignalWhileWaitingForLock(t *testing.T) {
	h := newHarness(t, fake.Options{})
	release := holdLock(t, h)
	defer release()
	calls := h.fake.TokenCalls()
	p := h.start("ca-helper", "get", "--timeout", "60s")
	time.Sleep(300 * time.Millisecond) // let it reach the lock; the test holds it either way
	p.signal(t, syscall.SIGINT, false)
	r := p.wait(t)
	if r.code != 130 || r.stdout != "" || r.stderr != "ca-helper: error: interrupted\n" {
		t.Errorf("want exit 130 and one line: %s", r)
	}
	if r.took > 30*time.Second {
		t.Errorf("took %s: the interrupted get waited out the lock", r.took)
	}
	if n := h.fake.TokenCalls() - calls; n != 0 {
		t.Errorf("an interrupted get called the service %d times", n)
	}
}

// proc is a ca-helper started in the background, in its own process group.
type proc struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	start          time.Time
}

func (h *harness) start(name string, args ...string) *proc {
	h.t.Helper()
	p := &proc{cmd: exec.Command(filepath.Join(binDir, name), args...)}
	p.cmd.Env = h.environ()
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	p.start = time.Now()
	if err := p.cmd.Start(); err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() {
		syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL) // our own group: ca-helper and ca-helper-aws
		p.cmd.Wait()
	})
	return p
}

func (p *proc) signal(t *testing.T, sig syscall.Signal, group bool) {
	t.Helper()
	pid := p.cmd.Process.Pid
	if group {
		pid = -pid
	}
	if err := syscall.Kill(pid, sig); err != nil {
		t.Fatal(err)
	}
}

func (p *proc) wait(t *testing.T) result {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatalf("ca-helper did not end a minute after the signal; stderr: %s", &p.stderr)
	}
	return result{stdout: p.stdout.String(), stderr: p.stderr.String(), code: p.cmd.ProcessState.ExitCode(), took: time.Since(p.start)}
}

// lockFile finds the one *.lock file in the cache dir.
func (h *harness) lockFile() (string, bool) {
	files, _ := filepath.Glob(filepath.Join(h.cache, "*.lock"))
	var locks []string
	for _, f := range files {
		if filepath.Base(f) != "index.lock" {
			locks = append(locks, filepath.Base(f))
		}
	}
	return strings.Join(locks, ","), len(locks) == 1
}

// wantEmptyCacheDir fails on anything in the cache dir but the index.
func wantEmptyCacheDir(t *testing.T, h *harness) {
	t.Helper()
	des, err := os.ReadDir(h.cache)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	for _, de := range des {
		if de.Name() != "index.json" {
			t.Errorf("left in the cache dir: %s", de.Name())
		}
	}
}
