package test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
	"github.com/ca-helper/ca-helper/test/testenv"
)

// TestDocsRunnable runs every shell block that README.md and docs/*.md mark
// `sh runnable` (docs/contributing.md#runnable-docs), against the fake
// CodeArtifact in a throwaway HOME. The README goes first, from a copy of the
// checkout with nothing of ca-helper on PATH, so its Quick start must install,
// put ~/.local/bin on PATH, write the Maven settings and build exactly as
// written; the Maven builds must reach the fake with its token and no 401,
// and docs/maven.md's publishing recipe must deploy the sample project.
func TestDocsRunnable(t *testing.T) {
	requireMaven(t)
	testenv.Tool(t, "javac", "apt-get install -y default-jdk-headless", "-version")
	bash := testenv.Tool(t, "bash", "apt-get install -y bash")
	h := newHarness(t, fake.Options{UpstreamDir: debianMavenRepo})
	root, _ := filepath.Abs("..")
	checkout := filepath.Join(t.TempDir(), "ca-helper")
	copyCheckout(t, root, checkout)
	project := filepath.Join(t.TempDir(), "my-app")
	copyTree(t, filepath.Join("testdata", "maven", "my-app"), project)
	dirs := map[string]string{"": checkout, "project": project}

	// A ca-helper installed on this machine must not stand in for the one the docs install.
	systemPath := pathWithout(t, "ca-helper")
	h.env["PATH"] = systemPath
	h.env["SHELL"] = bash
	h.env["CA_HELPER_IDE_DIRS"] = filepath.Join(h.home, "no-ides")
	for _, name := range []string{"GOCACHE", "GOPATH", "GOMODCACHE"} {
		h.env[name] = goEnv(t, name)
	}
	h.env["GOFLAGS"] = "-mod=mod"
	// A newcomer's shell names no target: the README's blocks must.
	for _, name := range []string{"CODEARTIFACT_DOMAIN", "CODEARTIFACT_DOMAIN_OWNER", "AWS_REGION"} {
		delete(h.env, name)
	}

	readme := readPage(t, filepath.Join(root, "README.md"))
	if len(readme) == 0 {
		t.Fatal("README.md has no runnable block")
	}
	runPage(t, h, bash, "README.md", readme, dirs)
	wantMavenBuilt(t, h.fake, project)

	// The docs pages: a new shell each, ca-helper installed and on PATH.
	h.env["PATH"] = filepath.Join(h.home, ".local", "bin") + string(os.PathListSeparator) + systemPath
	h.env["CODEARTIFACT_DOMAIN"] = "demo"
	h.env["CODEARTIFACT_DOMAIN_OWNER"] = testOwner
	h.env["AWS_REGION"] = "us-east-1"
	pages, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	for _, page := range pages {
		blocks := readPage(t, page)
		if len(blocks) == 0 {
			continue
		}
		name := "docs/" + filepath.Base(page)
		t.Run(name, func(t *testing.T) { runPage(t, h, bash, name, blocks, dirs) })
	}
	// docs/maven.md's publishing recipe (settings --publish, mvnw-ca deploy).
	if !fileExists(filepath.Join(h.fake.StoreDir(), "releases", "com/example/my-app/1.0.0/my-app-1.0.0.jar")) {
		t.Error("docs/maven.md's publishing recipe did not deploy my-app to the fake")
	}
	wantNo401(t, h.fake)
}

func readPage(t *testing.T, path string) []docBlock {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return runnableBlocks(string(data))
}

// runPage runs a page's blocks in order in one bash, each in its directory,
// and fails naming the block that failed.
func runPage(t *testing.T, h *harness, bash, name string, blocks []docBlock, dirs map[string]string) {
	t.Helper()
	var script strings.Builder
	script.WriteString("set -eo pipefail\ntrap 'echo \"docs: block $block failed (exit $?)\" >&2' ERR\n")
	for _, b := range blocks {
		dir, ok := dirs[b.in]
		if !ok {
			t.Fatalf("%s:%d: unknown in=%s (want in=project or nothing)", name, b.line, b.in)
		}
		fmt.Fprintf(&script, "block=%s:%d\ncd %s\necho \"== $block\" >&2\n%s", name, b.line, shellQuote(dir), b.body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bash, "-c", script.String())
	cmd.Env = h.environ()
	cmd.Stdin = nil // no terminal: install.sh must not ask
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: the runnable blocks failed: %v\n%s", name, err, withoutMavenTransfers(out.String()))
	}
	t.Logf("%s: %d runnable blocks ran", name, len(blocks))
	if testing.Verbose() {
		t.Logf("%s: what they printed:\n%s", name, withoutMavenTransfers(out.String()))
	}
}

// withoutMavenTransfers drops Maven's download and progress lines from out.
func withoutMavenTransfers(out string) string {
	var keep []string
	for _, line := range strings.Split(out, "\n") {
		if !strings.Contains(line, "Downloading from ") && !strings.Contains(line, "Downloaded from ") &&
			!strings.HasPrefix(line, "Progress (") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n")
}

// wantMavenBuilt: the Quick start's build made the jar, and fetched through
// the fake with the token it issued and without one 401.
func wantMavenBuilt(t *testing.T, f *fake.Server, project string) {
	t.Helper()
	if !fileExists(filepath.Join(project, "target", "my-app-1.0.0.jar")) {
		t.Error("the Quick start's build made no target/my-app-1.0.0.jar")
	}
	wantUpstream(t, f, "org/apache/commons/commons-lang3/3.12.0/commons-lang3-3.12.0.jar")
	wantAuthenticated(t, f)
	wantNo401(t, f)
}

func wantNo401(t *testing.T, f *fake.Server) {
	t.Helper()
	for _, r := range f.Requests() {
		if r.Status == 401 {
			t.Errorf("the fake answered 401 to %s %s (op %s)", r.Method, r.Path, r.Op)
		}
	}
}

// copyCheckout copies the files git tracks or would track (not .git, not
// ignored build output) from root to dst, keeping modes and symlinks. git
// runs with no config of the machine's.
func copyCheckout(t *testing.T, root, dst string) {
	t.Helper()
	home := t.TempDir()
	out, err := runCmdEnv([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=" + filepath.Join(home, "gitconfig")},
		"git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	if err != nil {
		t.Fatalf("git ls-files: %v\n%s", err, out)
	}
	for _, rel := range strings.Split(strings.TrimRight(out, "\x00"), "\x00") {
		if err := copyEntry(filepath.Join(root, rel), filepath.Join(dst, rel)); err != nil {
			t.Fatal(err)
		}
	}
}

func copyEntry(src, dst string) error {
	st, err := os.Lstat(src)
	if os.IsNotExist(err) {
		return nil // deleted in the work tree
	} else if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if st.Mode()&os.ModeSymlink != 0 {
		target, err := os.Readlink(src)
		if err != nil {
			return err
		}
		return os.Symlink(target, dst)
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, st.Mode().Perm())
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
