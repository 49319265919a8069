package test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// TestInstallScript runs install.sh as a newcomer would, twice, and uses what it
// installed against the fake.
func TestInstallScript(t *testing.T) {
	h := newHarness(t, fake.Options{})
	prefix := filepath.Join(h.home, "prefix")
	h.env["PREFIX"] = prefix
	h.env["GOCACHE"] = goEnv(t, "GOCACHE")
	h.env["GOPATH"] = goEnv(t, "GOPATH")
	h.env["GOFLAGS"] = "-mod=mod"
	root, _ := filepath.Abs("..")
	for i := range 2 {
		r := h.runIn(root, nil, filepath.Join(root, "install.sh"))
		if r.code != 0 || r.stdout != "" {
			t.Fatalf("install.sh run %d: %s", i+1, r)
		}
		if !strings.Contains(r.stderr, "add it to PATH") {
			t.Errorf("install.sh did not say how to add %s/bin to PATH: %s", prefix, r.stderr)
		}
	}
	bin := filepath.Join(prefix, "bin")
	for _, name := range []string{"ca-helper", "ca-helper-aws", "mvnw-ca", "git-credential-codeartifact", "bazel-credential-codeartifact"} {
		st, err := os.Stat(filepath.Join(bin, name))
		if err != nil || st.Mode().Perm()&0o111 == 0 {
			t.Errorf("%s not installed as an executable: %v", name, err)
		}
	}
	if leftovers, _ := filepath.Glob(filepath.Join(bin, ".*")); len(leftovers) != 0 {
		t.Errorf("install.sh left temp files: %v", leftovers)
	}
	wantExtensionInstalled(t, prefix, h.home)
	r := h.run(filepath.Join(bin, "ca-helper"), "get", "--domain", "my-domain", "--domain-owner", testOwner)
	if r.code != 0 || !h.fake.ValidToken(strings.TrimSpace(r.stdout)) {
		t.Fatalf("installed ca-helper get: %s", r)
	}
	r = h.run(filepath.Join(bin, "ca-helper"), "version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "ca-helper ") || strings.Contains(r.stdout, "(unknown commit") {
		t.Errorf("version of the installed binary: %s", r)
	}
}

func goEnv(t *testing.T, name string) string {
	t.Helper()
	out, err := runCmd("go", "env", name)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(out)
}

// wantExtensionInstalled: with Maven and javac on PATH (always in CI),
// install.sh put the Maven extension into PREFIX/share and the local repository.
func wantExtensionInstalled(t *testing.T, prefix, home string) {
	t.Helper()
	_, errMvn := exec.LookPath("mvn")
	_, errJavac := exec.LookPath("javac")
	if (errMvn != nil || errJavac != nil) && os.Getenv("CI") != "true" {
		return
	}
	const name = "ca-helper-maven-extension-1.0.0"
	for _, p := range []string{
		filepath.Join(prefix, "share", "ca-helper", name+".jar"),
		filepath.Join(home, ".m2", "repository", "io", "github", "ca-helper", "ca-helper-maven-extension", "1.0.0", name+".jar"),
		filepath.Join(home, ".m2", "repository", "io", "github", "ca-helper", "ca-helper-maven-extension", "1.0.0", name+".pom"),
	} {
		if !fileExists(p) {
			t.Errorf("install.sh did not install %s", p)
		}
	}
}
