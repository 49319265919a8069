// Package testenv decides whether a test can run on this machine: a program it
// needs, or the private Secret Service that ./test.sh starts. Outside CI a
// missing piece skips the test with the exact reason and the command that
// fixes it; in CI (CI=true), where .ci/run installs everything, it fails the
// test instead, so no test quietly stops running.
package testenv

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// BusVar names the variable ./test.sh sets to the address of the private D-Bus
// session it started, with a gnome-keyring whose data lives in a temporary
// XDG_DATA_HOME. Keyring tests run only on that bus, never on a desktop
// session's, so they cannot touch a user's real login keyring.
const BusVar = "CA_HELPER_TEST_BUS"

// InCI reports whether this is a CI run, where nothing may be skipped.
func InCI() bool { return os.Getenv("CI") == "true" }

// Missing skips t outside CI and fails it in CI; why says what is missing
// and how to get it.
func Missing(t testing.TB, why string) {
	t.Helper()
	if InCI() {
		t.Fatal(why + " (in CI every test must run: .ci/run must provide it)")
	}
	t.Skip(why)
}

// Tool returns the path of program name. When it is not on PATH, or when
// running it with versionArgs (if any) fails, the test is skipped (outside CI)
// or failed (in CI) with the reason and fix, the command that provides it.
func Tool(t testing.TB, name, fix string, versionArgs ...string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		Missing(t, name+" is not on PATH; fix: "+fix)
		return ""
	}
	if len(versionArgs) == 0 {
		return path
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, versionArgs...).CombinedOutput()
	if err != nil {
		Missing(t, name+" is not usable ("+strings.Join(append([]string{name}, versionArgs...), " ")+": "+
			firstLine(out, err)+"); fix: "+fix)
		return ""
	}
	return path
}

// SecretService returns the address of ./test.sh's private session bus. Any
// other bus (a desktop session's) does not count: the tests would write to
// the user's own keyring there.
func SecretService(t testing.TB) string {
	t.Helper()
	addr := os.Getenv("DBUS_SESSION_BUS_ADDRESS")
	if addr == "" || os.Getenv(BusVar) != addr {
		Missing(t, "not on ./test.sh's private D-Bus session ("+BusVar+" does not match DBUS_SESSION_BUS_ADDRESS), "+
			"so the keyring tests stay away from your own keyring; fix: run ./test.sh "+
			"(with gnome-keyring, libsecret-tools and dbus-x11 installed)")
		return ""
	}
	return addr
}

func firstLine(out []byte, err error) string {
	for _, l := range strings.Split(string(out), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return err.Error()
}
