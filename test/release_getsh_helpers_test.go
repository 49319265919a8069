package test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ca-helper/ca-helper/test/testenv"
)

var (
	releaseOnce sync.Once
	releaseOut  string
	releaseErr  error
)

// releaseDir builds the release files once for the get.sh tests of this run,
// with scripts/release VERSION OUT as a release is cut, and returns OUT
// (archives, SHA256SUMS).
func releaseDir(t *testing.T) string {
	t.Helper()
	requireMaven(t)
	testenv.Tool(t, "javac", "apt-get install -y default-jdk-headless", "-version")
	releaseOnce.Do(func() {
		releaseOut = filepath.Join(binDir, "release-getsh")
		root, _ := filepath.Abs("..")
		// --allow-dirty: the tests run on the work tree, changes and all.
		cmd := exec.Command(filepath.Join(root, "scripts", "release"), "--allow-dirty", releaseVersion, releaseOut)
		cmd.Dir = root
		home, err := os.MkdirTemp(binDir, "release-home-")
		if err != nil {
			releaseErr = err
			return
		}
		cmd.Env = releaseEnv(t, home)
		if out, err := cmd.CombinedOutput(); err != nil {
			releaseErr = fmt.Errorf("scripts/release: %v\n%s", err, out)
		}
	})
	if releaseErr != nil {
		t.Fatal(releaseErr)
	}
	return releaseOut
}

// toolPath is a PATH of one directory with links to only the named tools
// (sh is dash where there is one): no Go, no git, no ca-helper.
func toolPath(t *testing.T, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range append([]string{"sh"}, names...) {
		target, err := exec.LookPath(name)
		if name == "sh" {
			if dash, e := exec.LookPath("dash"); e == nil {
				target, err = dash, nil
			}
		}
		if err != nil {
			t.Fatalf("%s is needed for the release install tests: %v", name, err)
		}
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	for _, absent := range []string{"go", "git", "mvn", "javac", "ca-helper"} {
		if out, err := runCmdEnv([]string{"PATH=" + dir}, filepath.Join(dir, "sh"), "-c", "command -v "+absent); err == nil {
			t.Fatalf("%s is on the test's PATH (%s)", absent, strings.TrimSpace(out))
		}
	}
	return dir
}

// getShTools are what get.sh and the release's install.sh run; curl or wget
// is added by the test.
var getShTools = []string{"tar", "gzip", "sha256sum", "mkdir", "rm", "chmod", "mv", "cp", "ln", "uname",
	"sed", "grep", "mktemp", "dirname", "basename", "cat", "head", "tr", "id", "ls"}
