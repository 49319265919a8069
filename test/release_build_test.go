package test

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/ca-helper/ca-helper/test/testenv"
)

const getShVersion = "0.0.0-test"

var (
	releaseOnce sync.Once
	releaseOut  string
	releaseErr  error
)

// releaseDir builds a release once for the tests of this run, with
// scripts/release where the checkout has it, and returns its OUT directory
// (archives and SHA256SUMS).
func releaseDir(t *testing.T) string {
	t.Helper()
	requireMaven(t)
	testenv.Tool(t, "javac", "apt-get install -y default-jdk-headless", "-version")
	releaseOnce.Do(func() {
		releaseOut = filepath.Join(binDir, "release")
		root, _ := filepath.Abs("..")
		script := filepath.Join(root, "scripts", "release")
		if !fileExists(script) {
			releaseErr = buildRelease(releaseOut)
			return
		}
		// --allow-dirty: the tests run on the work tree, changes and all.
		cmd := exec.Command(script, "--allow-dirty", getShVersion, releaseOut)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			releaseErr = fmt.Errorf("scripts/release: %v\n%s", err, out)
		}
	})
	if releaseErr != nil {
		t.Fatal(releaseErr)
	}
	return releaseOut
}

// buildRelease writes this platform's archive, laid out as scripts/release
// lays them out, from the binaries TestMain built, and SHA256SUMS: for a
// checkout without scripts/release.
func buildRelease(out string) error {
	root, _ := filepath.Abs("..")
	platform := runtime.GOOS + "_" + runtime.GOARCH
	top := "ca-helper_" + getShVersion + "_" + platform
	stage := filepath.Join(filepath.Dir(out), "release-stage", top)
	files := map[string]string{ // in the archive: from
		"bin/ca-helper":     filepath.Join(binDir, "ca-helper"),
		"bin/ca-helper-aws": filepath.Join(binDir, "ca-helper-aws"),
		"bin/mvnw-ca":       filepath.Join(root, "mvnw-ca"),
		"bin/mvnw-ca.cmd":   filepath.Join(root, "mvnw-ca.cmd"),
		"install.sh":        filepath.Join(root, "install.sh"),
		"README.md":         filepath.Join(root, "README.md"),
		"LICENSE":           filepath.Join(root, "LICENSE"),
		"CHANGELOG.md":      filepath.Join(root, "CHANGELOG.md"),
	}
	for dst, src := range files {
		if err := copyFileMode(src, filepath.Join(stage, dst)); err != nil {
			return err
		}
	}
	for _, link := range []string{"git-credential-codeartifact", "bazel-credential-codeartifact"} {
		if err := os.Symlink("ca-helper", filepath.Join(stage, "bin", link)); err != nil {
			return err
		}
	}
	// The jar names no ca-helper: install.sh stamps its own copy.
	share := filepath.Join(stage, "share", "ca-helper")
	if b, err := exec.Command(filepath.Join(root, "maven-extension", "build.sh"), share).CombinedOutput(); err != nil {
		return fmt.Errorf("build.sh: %v: %s", err, b)
	}
	for name, file := range map[string]string{"bash": "ca-helper.bash", "zsh": "_ca-helper", "fish": "ca-helper.fish"} {
		b, err := exec.Command(filepath.Join(binDir, "ca-helper"), "completion", name).Output()
		if err != nil {
			return fmt.Errorf("completion %s: %v", name, err)
		}
		if err := writeMode(filepath.Join(stage, "share", "completions", file), b, 0o644); err != nil {
			return err
		}
	}
	archive := "ca-helper_" + platform + ".tar.gz"
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := writeTarGz(filepath.Join(out, archive), filepath.Dir(stage), top); err != nil {
		return err
	}
	data, err := os.ReadFile(filepath.Join(out, archive))
	if err != nil {
		return err
	}
	// Another platform's line first, so get.sh must pick its own.
	sums := fmt.Sprintf("%x  ca-helper_plan9_amd64.tar.gz\n%x  %s\n", sha256.Sum256([]byte("other")), sha256.Sum256(data), archive)
	return os.WriteFile(filepath.Join(out, "SHA256SUMS"), []byte(sums), 0o644)
}

// writeTarGz archives dir/top with archive/tar: files, links and directories.
func writeTarGz(path, dir, top string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	var names []string
	filepath.WalkDir(filepath.Join(dir, top), func(p string, d fs.DirEntry, err error) error {
		if err == nil {
			rel, _ := filepath.Rel(dir, p)
			names = append(names, rel)
		}
		return err
	})
	sort.Strings(names)
	for _, name := range names {
		p := filepath.Join(dir, name)
		st, err := os.Lstat(p)
		if err != nil {
			return err
		}
		link, _ := os.Readlink(p)
		hdr, err := tar.FileInfoHeader(st, link)
		if err != nil {
			return err
		}
		hdr.Name = filepath.ToSlash(name)
		if st.IsDir() {
			hdr.Name += "/"
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if st.Mode().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if _, err := tw.Write(b); err != nil {
				return err
			}
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

func copyFileMode(src, dst string) error {
	st, err := os.Stat(src)
	if err != nil {
		return err
	}
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return writeMode(dst, b, st.Mode().Perm())
}

func writeMode(path string, b []byte, mode fs.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(path, b, mode); err != nil {
		return err
	}
	return os.Chmod(path, mode)
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
