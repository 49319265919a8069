package test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// recorder writes a script that records its arguments (one per line), the token
// variable and its working dir into a file, then exits with $RECORD_EXIT.
func recorder(t *testing.T, dir, name string) (script, record string) {
	t.Helper()
	record = filepath.Join(t.TempDir(), "record")
	script = filepath.Join(dir, name)
	body := "#!/bin/sh\n" +
		"{ echo \"pwd=$PWD\"; echo \"token=$CODEARTIFACT_AUTH_TOKEN\"; for a in \"$@\"; do echo \"arg=$a\"; done; } > '" + record + "'\n" +
		"exit ${RECORD_EXIT:-0}\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return script, record
}

func TestMvnwCaFindsWrapperUpwardAndPassesArgs(t *testing.T) {
	h := newHarness(t, fake.Options{})
	project := t.TempDir()
	deep := filepath.Join(project, "module", "sub")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(project, ".mvn"), 0o755); err != nil { // the root the search stops at
		t.Fatal(err)
	}
	_, record := recorder(t, project, "mvnw")
	h.env["RECORD_EXIT"] = "7"
	args := []string{"-Dx=a b", `-Dq="quoted" 'single'`, "", "--", "$HOME", "*"}
	r := h.runIn(deep, nil, "mvnw-ca", args...)
	if r.code != 7 {
		t.Fatalf("mvnw-ca did not return Maven's exit code 7: %s", r)
	}
	got, err := os.ReadFile(record)
	if err != nil {
		t.Fatalf("./mvnw two directories up was not run: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(string(got), "\n"), "\n")
	tok := strings.TrimPrefix(lines[1], "token=")
	if lines[0] != "pwd="+deep || !h.fake.ValidToken(tok) {
		t.Fatalf("wrong dir or token: %q", lines[:2])
	}
	for i, a := range args {
		if lines[2+i] != "arg="+a {
			t.Errorf("argument %d: got %q, want %q", i, lines[2+i], "arg="+a)
		}
	}
}

func TestMvnwCaNeverStartsMavenWithoutToken(t *testing.T) {
	h := newHarness(t, fake.Options{})
	script, record := recorder(t, t.TempDir(), "fake-mvn")
	h.env["CA_HELPER_MVN"] = script
	h.env["AWS_ACCESS_KEY_ID"], h.env["AWS_SECRET_ACCESS_KEY"] = "", ""
	r := h.runIn(t.TempDir(), nil, "mvnw-ca", "package")
	if r.code != 3 || !strings.Contains(r.stderr, "ca-helper: error: ") || r.stdout != "" {
		t.Fatalf("want exit 3 and ca-helper's error: %s", r)
	}
	if fileExists(record) {
		t.Fatal("Maven was started without a token")
	}
	h.env["AWS_ACCESS_KEY_ID"], h.env["AWS_SECRET_ACCESS_KEY"] = testKeyID, testSecret
	if r := h.runIn(t.TempDir(), nil, "mvnw-ca", "-v"); r.code != 0 || !fileExists(record) {
		t.Fatalf("with credentials CA_HELPER_MVN was not run: %s", r)
	}
}

func TestExecPassesExitCodeAndKeepsTokenOutOfArgv(t *testing.T) {
	h := newHarness(t, fake.Options{})
	r := h.run("ca-helper", "exec", "--", "sh", "-c", `test -n "$CODEARTIFACT_AUTH_TOKEN" && cat /proc/$$/cmdline /proc/$PPID/cmdline | tr '\0' ' '; exit 42`)
	if r.code != 42 {
		t.Fatalf("exit code not passed through: %s", r)
	}
	tok := h.mustGet()
	if strings.Contains(r.stdout, tok) || !strings.Contains(r.stdout, "ca-helper") {
		t.Fatalf("argv of the child or of ca-helper holds the token, or was not read: %q", r.stdout)
	}
	r = h.run("ca-helper", "exec", "--env-var", "MY_TOKEN", "--", "sh", "-c", `printf %s "$MY_TOKEN"`)
	if r.code != 0 || r.stdout != tok {
		t.Fatalf("--env-var: %s", r)
	}
	if r := h.run("ca-helper", "exec", "--", "no-such-command-xyz"); r.code != 127 || r.stdout != "" {
		t.Fatalf("missing command: %s", r)
	}
}

func TestExecForwardsSignals(t *testing.T) {
	h := newHarness(t, fake.Options{})
	h.mustGet()
	ready := filepath.Join(t.TempDir(), "ready")
	cmd := exec.Command(filepath.Join(binDir, "ca-helper"), "exec", "--", "sh", "-c",
		`trap 'echo got-term; exit 0' TERM; touch "$READY"; while :; do sleep 0.05; done`)
	cmd.Env = append(h.environ(), "READY="+ready)
	var out strings.Builder
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !fileExists(ready) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if err != nil || !strings.Contains(out.String(), "got-term") {
		t.Fatalf("child did not see the forwarded SIGTERM: %v, output %q", err, out.String())
	}

	// A child killed by a signal gives 128+n, as shells report it.
	r := h.run("ca-helper", "exec", "--", "sh", "-c", `kill -KILL $$`)
	if r.code != 128+9 {
		t.Fatalf("signal death: exit %d, want 137", r.code)
	}
}
