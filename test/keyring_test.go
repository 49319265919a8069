package test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
	"github.com/ca-helper/ca-helper/test/testenv"
)

// requireSecretService returns the address of ./test.sh's private session bus
// (with an unlocked gnome-keyring) and makes sure secret-tool is there.
func requireSecretService(t *testing.T) string {
	t.Helper()
	addr := testenv.SecretService(t)
	testenv.Tool(t, "secret-tool", "apt-get install -y libsecret-tools")
	return addr
}

func TestKeyringBackendEndToEnd(t *testing.T) {
	addr := requireSecretService(t)
	h := newHarness(t, fake.Options{})
	h.env["DBUS_SESSION_BUS_ADDRESS"] = addr
	h.env["CA_HELPER_CACHE"] = "keyring"
	h.env["CODEARTIFACT_DOMAIN"] = "keyring-e2e"
	h.run("ca-helper", "erase")

	tok := h.mustGet()
	if again := h.mustGet(); again != tok || h.fake.TokenCalls() != 1 {
		t.Fatalf("second get through the keyring: same %v, calls %d", again == tok, h.fake.TokenCalls())
	}
	stored := lookupSecret(t, h, addr)
	if !strings.Contains(stored, tok) {
		t.Fatalf("the Secret Service does not hold the token (got %d bytes)", len(stored))
	}
	assertNoTokenInFiles(t, h.cache, tok)

	r := h.run("ca-helper", "status")
	if !strings.Contains(r.stdout, "keyring") || !strings.Contains(r.stdout, "keyring-e2e-"+testOwner) {
		t.Errorf("status does not show the keyring entry:\n%s", r)
	}
	if r := h.run("ca-helper", "erase"); r.code != 0 {
		t.Fatalf("erase: %s", r)
	}
	if stored := lookupSecret(t, h, addr); stored != "" {
		t.Fatal("erase left the token in the Secret Service")
	}
}

func TestAutoFallsBackToFileWithoutSecretService(t *testing.T) {
	h := newHarness(t, fake.Options{})
	h.env["CA_HELPER_CACHE"] = "auto"
	h.env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=" + filepath.Join(h.home, "no-such-bus")
	r := h.run("ca-helper", "get")
	if r.code != 0 || r.took > 5*time.Second {
		t.Fatalf("auto without a Secret Service: %s", r)
	}
	if files, _ := filepath.Glob(filepath.Join(h.cache, "*.json")); len(files) == 0 {
		t.Fatal("auto did not fall back to the file cache")
	}
	if h.mustGet(); h.fake.TokenCalls() != 1 {
		t.Fatal("second get did not use the file cache")
	}
}

// lookupSecret asks the Secret Service, through libsecret's own tool, for every
// item ca-helper stored.
func lookupSecret(t *testing.T, h *harness, addr string) string {
	t.Helper()
	cmd := exec.Command("secret-tool", "search", "--all", "--unlock", "service", "ca-helper")
	cmd.Env = append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+addr)
	out, _ := cmd.Output()
	return string(out)
}

func assertNoTokenInFiles(t *testing.T, dir, tok string) {
	t.Helper()
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && info.Mode().IsRegular() {
			if b, _ := os.ReadFile(p); strings.Contains(string(b), tok) {
				t.Errorf("%s holds the token although the keyring backend was asked for", p)
			}
		}
		return nil
	})
}
