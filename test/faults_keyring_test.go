//go:build linux

package test

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
	"github.com/ca-helper/ca-helper/test/testenv"
)

// keyringFaults are Secret Services that cannot be used; each returns the
// DBUS_SESSION_BUS_ADDRESS to give ca-helper.
var keyringFaults = []struct {
	name string
	bus  func(t *testing.T, h *harness) string
	says string // the cause in auto's warning
}{
	{"no bus", func(t *testing.T, h *harness) string { return "unix:path=/nonexistent" }, "session bus unreachable"},
	{"bus that never answers", func(t *testing.T, h *harness) string { return silentBus(t, filepath.Join(h.home, "bus")) }, "no answer"},
	{"locked gnome-keyring", lockedKeyring, "locked"},
}

// TestAutoFallsBackFromBrokenKeyring: with --cache auto a missing, hung or
// locked Secret Service costs at most the probe, and the token goes to a file.
func TestAutoFallsBackFromBrokenKeyring(t *testing.T) {
	for _, tc := range keyringFaults {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, fake.Options{})
			h.env["CA_HELPER_CACHE"] = "auto"
			h.env["DBUS_SESSION_BUS_ADDRESS"] = tc.bus(t, h)
			r := h.run("ca-helper", "get")
			t.Logf("exit %d after %s, stderr %q", r.code, r.took.Round(time.Millisecond), r.stderr)
			if r.code != 0 || !h.fake.ValidToken(strings.TrimSuffix(r.stdout, "\n")) {
				t.Fatalf("want a token: %s", r)
			}
			if r.took > 2*time.Second {
				t.Errorf("fell back after %s, want within 2s", r.took)
			}
			want := "ca-helper: warning: keyring not used (" + tc.says + "), caching tokens in files; set CA_HELPER_CACHE=file"
			if !strings.Contains(r.stderr, want) {
				t.Errorf("no warning about the fallback, want %q:\n%s", want, r.stderr)
			}
			if cacheEntries(t, h) != 1 {
				t.Fatal("the token is not in the file cache")
			}
			if r := h.run("ca-helper", "get"); r.code != 0 || r.stderr != "" || h.fake.TokenCalls() != 1 {
				t.Errorf("the second get did not use the file cache quietly (warned today): %s", r)
			}
		})
	}
}

// TestExplicitKeyringFailsWhenUnusable: --cache keyring says "the keyring and
// nothing else", so an unusable keyring is an error before any AWS call
// (docs/cache.md: a locked or hung keyring fails the command instead of hanging the
// build), not a token that is silently fetched anew on every run.
func TestExplicitKeyringFailsWhenUnusable(t *testing.T) {
	for _, tc := range keyringFaults {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, fake.Options{})
			h.env["CA_HELPER_CACHE"] = "keyring"
			h.env["DBUS_SESSION_BUS_ADDRESS"] = tc.bus(t, h)
			r := h.run("ca-helper", "get")
			t.Logf("exit %d after %s, stderr %q", r.code, r.took.Round(time.Millisecond), r.stderr)
			wantOneLineFailure(t, h, r, 1, "ca-helper: error: --cache keyring: token storage unavailable")
			if !strings.Contains(r.stderr, "--cache auto") {
				t.Errorf("the hint does not offer --cache auto:\n%s", r.stderr)
			}
			if n := h.fake.TokenCalls(); n != 0 {
				t.Errorf("%d API calls, want none: the failure is known before fetching", n)
			}
			if r.took > 30*time.Second {
				t.Errorf("took %s, longer than --timeout", r.took)
			}
		})
	}
}

// TestTokenTooBigForKeyringGoesToFile: a token over the keyring's limit is
// cached in a file (auto), and status says where each token is.
func TestTokenTooBigForKeyringGoesToFile(t *testing.T) {
	addr := requireSecretService(t)
	h := newHarness(t, fake.Options{})
	h.env["DBUS_SESSION_BUS_ADDRESS"] = addr
	h.env["CA_HELPER_CACHE"] = "auto"
	h.env["CODEARTIFACT_DOMAIN"] = "big-token-e2e"
	t.Cleanup(func() { // not erase --all: that empties the keyring other tests share
		for _, domain := range []string{"big-token-e2e", "small-token-e2e"} {
			h.env["CODEARTIFACT_DOMAIN"] = domain
			h.run("ca-helper", "erase")
		}
	})

	h.fake.SetFault(fake.Fault{Kind: fake.BigToken, Times: 1})
	r := h.run("ca-helper", "get")
	big := strings.TrimSuffix(r.stdout, "\n")
	if r.code != 0 || len(big) < 12<<10 || !h.fake.ValidToken(big) {
		t.Fatalf("want the 12 KiB token: exit %d, %d bytes, stderr %s", r.code, len(big), r.stderr)
	}
	if !strings.Contains(r.stderr, "ca-helper: warning: CodeArtifact token big-token-e2e-"+testOwner+" (us-east-1) is too big for the keyring") {
		t.Errorf("no note that the token went to a file:\n%s", r.stderr)
	}
	if cacheEntries(t, h) != 1 || strings.Contains(lookupSecret(t, h, addr), big[:200]) {
		t.Fatal("the big token is not in a file only")
	}
	if again := h.mustGet(); again != big || h.fake.TokenCalls() != 1 {
		t.Error("the big token was not served from its file")
	}

	h.env["CODEARTIFACT_DOMAIN"] = "small-token-e2e"
	small := h.mustGet()
	if !strings.Contains(lookupSecret(t, h, addr), small) {
		t.Fatal("a normal token did not go to the keyring")
	}
	r = h.run("ca-helper", "status")
	for domain, backend := range map[string]string{"big-token-e2e": "file", "small-token-e2e": "keyring"} {
		want := "CodeArtifact token " + domain + "-" + testOwner + " (us-east-1)\t" + backend + "\texpires in "
		if !strings.Contains(r.stdout, want) {
			t.Errorf("status lacks %q:\n%s", want, r)
		}
	}
}

// silentBus listens on a unix socket, accepts connections and never answers:
// a session bus (or Secret Service) that hangs.
func silentBus(t *testing.T, path string) string {
	t.Helper()
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
			close(done)
		}()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() { l.Close(); <-done })
	return "unix:path=" + path
}

// lockedKeyring starts a private D-Bus session whose gnome-keyring has a
// login keyring with a password and was not unlocked, as after a login that
// did not unlock it. Without a display its unlock prompt fails at once.
func lockedKeyring(t *testing.T, h *harness) string {
	t.Helper()
	for _, tool := range []string{"dbus-run-session", "gnome-keyring-daemon"} {
		testenv.Tool(t, tool, "apt-get install -y dbus-x11 gnome-keyring")
	}
	// A first session creates the login keyring with a password.
	_, stop := startSession(t, h, `printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null`)
	login := filepath.Join(h.home, ".local", "share", "keyrings", "login.keyring")
	for deadline := time.Now().Add(10 * time.Second); !fileExists(login); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gnome-keyring did not create %s", login)
		}
	}
	stop()
	addr, _ := startSession(t, h, `eval "$(gnome-keyring-daemon --start --components=secrets)" >/dev/null`)
	return addr
}

// startSession runs dbus-run-session with setup until stop or the end of the
// test and returns the session bus address. The session gets its own process
// group, which gnome-keyring-daemon stays in when it daemonizes, so stop ends
// all of it.
func startSession(t *testing.T, h *harness, setup string) (addr string, stop func()) {
	t.Helper()
	cmd := exec.Command("dbus-run-session", "--", "sh", "-c", setup+` && echo "$DBUS_SESSION_BUS_ADDRESS" && exec sleep 600`)
	// gnome-keyring puts its control socket in XDG_RUNTIME_DIR, else under
	// ~/.cache; a deep test home can pass the 108 bytes a socket path may have.
	run, err := os.MkdirTemp("", "run")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(run) })
	cmd.Env = append(h.environ(), "XDG_RUNTIME_DIR="+run)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			cmd.Wait()
		})
	}
	t.Cleanup(stop)
	addr, err = bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(addr, "unix:") {
		t.Fatalf("no session bus address from dbus-run-session: %q, %v", addr, err)
	}
	return strings.TrimSpace(addr), stop
}
