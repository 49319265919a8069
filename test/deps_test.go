package test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// TestChecksPassWhenNewerDependenciesAreServed points the go command at a
// module proxy (a file:// directory) that serves a newer version of every
// direct dependency, as the real proxy does a few days after any commit:
// the test command's checks must still pass, and scripts/deps must list the
// updates and exit 0, since freshness is a report, not a gate.
func TestChecksPassWhenNewerDependenciesAreServed(t *testing.T) {
	root, _ := filepath.Abs("..")
	direct := directDeps(t, root)
	if len(direct) == 0 {
		t.Fatal("go list found no direct dependencies")
	}
	proxy := t.TempDir()
	var want []string
	for path, version := range direct {
		newer := bump(version)
		dir := filepath.Join(proxy, escapePath(path), "@v")
		writeFile(t, filepath.Join(dir, "list"), version+"\n"+newer+"\n")
		writeFile(t, filepath.Join(dir, newer+".info"), `{"Version":"`+newer+`","Time":"2099-12-31T00:00:00Z"}`)
		writeFile(t, filepath.Join(dir, newer+".mod"), "module "+path+"\n")
		want = append(want, path+" "+version+" -> "+newer)
	}
	env := append(os.Environ(), "GOPROXY=file://"+proxy, "GONOSUMDB=*", "GOFLAGS=-mod=readonly -buildvcs=false")

	deps := exec.Command(filepath.Join(root, "scripts", "deps"))
	deps.Dir, deps.Env = root, env
	out, err := deps.CombinedOutput()
	if err != nil {
		t.Fatalf("scripts/deps failed (it must only report): %v\n%s", err, out)
	}
	for _, w := range want {
		if !strings.Contains(string(out), w) {
			t.Errorf("scripts/deps does not list %q:\n%s", w, out)
		}
	}

	checks := exec.Command(filepath.Join(root, "test.sh"), "--checks")
	checks.Dir, checks.Env = root, env
	if out, err := checks.CombinedOutput(); err != nil {
		t.Fatalf("./test.sh --checks failed while newer dependencies are served: %v\n%s", err, out)
	}
}

// directDeps maps each direct dependency of the module to its version.
func directDeps(t *testing.T, root string) map[string]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-m", "-json", "all")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -m all: %v", err)
	}
	deps := map[string]string{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var m struct {
			Path, Version  string
			Main, Indirect bool
		}
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		if !m.Main && !m.Indirect {
			deps[m.Path] = m.Version
		}
	}
	return deps
}

// bump returns a release after v: the next major's worth of patches later.
func bump(v string) string {
	if i := strings.IndexAny(v, "-+"); i >= 0 {
		v = v[:i] // a pseudo-version: its base release is older than the bump
	}
	parts := strings.SplitN(strings.TrimPrefix(v, "v"), ".", 3)
	if len(parts) != 3 {
		return "v99.0.0"
	}
	return "v" + parts[0] + "." + parts[1] + ".999"
}

// escapePath is the module proxy's case encoding: an upper-case letter
// becomes "!" and its lower case.
func escapePath(p string) string {
	var b strings.Builder
	for _, r := range p {
		if unicode.IsUpper(r) {
			b.WriteByte('!')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
