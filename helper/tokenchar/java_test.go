package tokenchar_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/testenv"
)

// fakeEnv makes this test binary act as `ca-helper get`: the harness's
// TokenCommand runs it as "BINARY get BASE64" and it prints the decoded case
// and a newline, as ca-helper prints a token. Going through a real process
// tests the extension's whole check (empty, length, newline, characters) on
// the bytes it would really read, NUL and invalid UTF-8 included.
const fakeEnv = "CA_HELPER_TOKENCHAR_FAKE_GET"

func TestMain(m *testing.M) {
	if os.Getenv(fakeEnv) == "1" {
		os.Exit(fakeGet(os.Args[1:]))
	}
	os.Exit(m.Run())
}

func fakeGet(args []string) int {
	if len(args) != 2 || args[0] != "get" {
		fmt.Fprintf(os.Stderr, "fake ca-helper: want get BASE64, got %d arguments\n", len(args))
		return 2
	}
	tok, err := base64.StdEncoding.DecodeString(args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "fake ca-helper:", err)
		return 2
	}
	os.Stdout.Write(append(tok, '\n'))
	return 0
}

const extensionSrc = "../../maven-extension/src/main/java/io/github/cahelper/maven"

// harness runs TokenCommand.get on each case (base64, one per line on stdin)
// with this test binary as ca-helper, and answers one line per case: 1 when
// accepted and returned unchanged, 0 when refused as "not one token line",
// anything else when the check did something this test does not expect.
const harness = `package io.github.cahelper.maven;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;

public final class TokenCharHarness {
    public static void main(String[] args) throws Exception {
        TokenCommand cmd = new TokenCommand(args[0], 60);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        StringBuilder out = new StringBuilder();
        for (String line; (line = in.readLine()) != null; ) {
            String want = new String(Base64.getDecoder().decode(line), StandardCharsets.UTF_8);
            try {
                String got = cmd.get(Collections.singletonList(line));
                out.append(got.equals(want) ? "1" : "accepted but changed");
            } catch (TokenCommand.TokenException e) {
                String msg = e.getMessage().replace('\n', ' ');
                out.append(msg.contains("not one token line") ? "0" : "error: " + msg);
            }
            out.append('\n');
        }
        System.out.print(out);
    }
}
`

// TestJavaAgrees runs the extension's own check (TokenCommand.get, compiled
// from maven-extension/src as build.sh does, --release 8) on every case of the
// table and wants the table's java answer: the same as Go's, except that the
// extension also bounds the length, which Go's callers check elsewhere.
func TestJavaAgrees(t *testing.T) {
	fix := "apt-get install -y default-jdk-headless"
	javac := testenv.Tool(t, "javac", fix, "-version")
	java := testenv.Tool(t, "java", fix, "-version")
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "src", "io", "github", "cahelper", "maven")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "TokenCharHarness.java"), []byte(harness), 0o644); err != nil {
		t.Fatal(err)
	}
	// TokenCommand uses nothing from Maven, so it compiles on its own.
	compile := exec.Command(javac, "-nowarn", "--release", "8", "-encoding", "UTF-8", "-d", filepath.Join(dir, "classes"),
		filepath.Join(extensionSrc, "TokenCommand.java"), filepath.Join(src, "TokenCharHarness.java"))
	if out, err := compile.CombinedOutput(); err != nil {
		t.Fatalf("javac: %v\n%s", err, out)
	}

	cs := cases()
	var in bytes.Buffer
	for _, c := range cs {
		in.WriteString(base64.StdEncoding.EncodeToString([]byte(c.tok)) + "\n")
	}
	run := exec.Command(java, "-cp", filepath.Join(dir, "classes"), "io.github.cahelper.maven.TokenCharHarness", self)
	// Under -race every exit of the fake would otherwise sleep a second
	// (the race runtime's default atexit_sleep_ms).
	run.Env = append(os.Environ(), fakeEnv+"=1", "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	run.Stdin = &in
	var stderr bytes.Buffer
	run.Stderr = &stderr
	out, err := run.Output()
	if err != nil {
		t.Fatalf("java harness: %v\n%s", err, stderr.Bytes())
	}
	answers := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(answers) != len(cs) {
		t.Fatalf("java harness answered %d cases, want %d:\n%s\n%s", len(answers), len(cs), out, stderr.Bytes())
	}
	for i, c := range cs {
		want := "0"
		if c.java {
			want = "1"
		}
		if answers[i] != want {
			t.Errorf("%s: Java answered %q for %.40q, want %q (Go Valid: %v)", c.name, answers[i], c.tok, want, c.valid)
		}
	}
}
