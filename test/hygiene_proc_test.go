package test

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// procWatch samples /proc while the commands run: the argv of every process
// started from binDir (ca-helper, ca-helper-aws, the git link) and of their
// descendants, and the environment of those started from binDir. The exec
// child's environment holds the token by design and is not read.
type procWatch struct {
	mu      sync.Mutex
	argv    map[string]bool // "pid exe\x00argv"
	exes    map[string]bool // more programs whose argv (not environ) is watched, with their descendants
	environ map[string]string
	quit    chan struct{}
	done    sync.WaitGroup
}

// watchProcesses watches binDir's programs and their descendants, and
// the programs exes (a tool that runs ca-helper as a child, such as pip's
// python) with theirs.
func watchProcesses(t *testing.T, exes ...string) *procWatch {
	w := &procWatch{argv: map[string]bool{}, exes: map[string]bool{}, environ: map[string]string{}, quit: make(chan struct{})}
	for _, exe := range exes {
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			w.exes[real] = true
		}
	}
	if runtime.GOOS != "linux" {
		return w
	}
	w.done.Add(1)
	go func() {
		defer w.done.Done()
		for {
			select {
			case <-w.quit:
				return
			case <-time.After(3 * time.Millisecond):
				w.scan()
			}
		}
	}()
	t.Cleanup(w.stop)
	return w
}

func (w *procWatch) stop() {
	select {
	case <-w.quit:
	default:
		close(w.quit)
	}
	w.done.Wait()
}

func (w *procWatch) scan() {
	des, _ := os.ReadDir("/proc")
	parent, exe := map[string]string{}, map[string]string{}
	for _, de := range des {
		pid := de.Name()
		if _, err := strconv.Atoi(pid); err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + pid + "/stat")
		if fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:])); err == nil && len(fields) > 1 {
			parent[pid] = fields[1]
		}
		exe[pid], _ = os.Readlink("/proc/" + pid + "/exe")
	}
	bin, _ := filepath.EvalSymlinks(binDir)
	ours := func(pid string) bool { return exe[pid] != "" && filepath.Dir(exe[pid]) == bin }
	for pid := range parent {
		mine := false
		for p, depth := pid, 0; p != "" && depth < 8 && !mine; p, depth = parent[p], depth+1 {
			mine = ours(p) || w.exes[exe[p]]
		}
		if !mine {
			continue
		}
		argv, err := os.ReadFile("/proc/" + pid + "/cmdline")
		if err != nil || len(argv) == 0 {
			continue
		}
		var env []byte
		if ours(pid) {
			env, _ = os.ReadFile("/proc/" + pid + "/environ")
			// After an exec the environment is the new program's: keep it only
			// if the process is still the one from binDir.
			if now, _ := os.Readlink("/proc/" + pid + "/exe"); now != exe[pid] {
				env = nil
			}
		}
		w.mu.Lock()
		key := pid + " " + filepath.Base(exe[pid]) + "\x00" + string(argv)
		w.argv[key] = true
		if len(env) > 0 {
			w.environ[key] = string(env)
		}
		w.mu.Unlock()
	}
}

// check looks for tokens in what the watch saw, and that it saw ca-helper-aws
// serving (a fetch, and doctor's checks), ca-helper doctor, and a child of exec.
func (w *procWatch) check(t *testing.T, needles []string) {
	t.Helper()
	if runtime.GOOS != "linux" {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	// What the watch must have seen for its silence to mean anything.
	seen := map[string]bool{"ca-helper-aws\x00--serve": false, "ca-helper\x00doctor": false,
		"ca-helper\x00exec": false, "sleep\x000.5": false, "environ of ca-helper-aws": false}
	for key := range w.argv {
		if leak := findLeak(key, needles); leak != "" {
			t.Errorf("argv holds token text %q: %q", leak, key)
		}
		_, argv, _ := strings.Cut(key, "\x00")
		for want := range seen {
			seen[want] = seen[want] || strings.Contains(argv, want)
		}
	}
	for key, env := range w.environ {
		if leak := findLeak(env, needles); leak != "" {
			t.Errorf("environment of %q holds token text %q", strings.ReplaceAll(key, "\x00", " "), leak)
		}
		seen["environ of ca-helper-aws"] = seen["environ of ca-helper-aws"] || strings.Contains(key, " ca-helper-aws\x00")
	}
	for want, ok := range seen {
		if !ok {
			t.Errorf("the /proc watch never saw %q: the argv search cannot be trusted", strings.ReplaceAll(want, "\x00", " "))
		}
	}
}
