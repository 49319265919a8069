package test

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/testenv"
)

const releaseBase = "https://github.com/ca-helper/ca-helper/releases/download/v" + releaseVersion + "/"

// checkScoop: ca-helper.json parses and names the Windows zip with the hash
// SHA256SUMS has for it.
func checkScoop(t *testing.T, out string, sums map[string]string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(out, "ca-helper.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Version, License string
		Architecture     map[string]struct {
			URL        string `json:"url"`
			Hash       string `json:"hash"`
			ExtractDir string `json:"extract_dir"`
		}
		Bin []string
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("ca-helper.json: %v\n%s", err, data)
	}
	a := m.Architecture["64bit"]
	const zipName = "ca-helper_windows_amd64.zip"
	if m.Version != releaseVersion || m.License != "Apache-2.0" || a.URL != releaseBase+zipName ||
		a.Hash == "" || a.Hash != sums[zipName] || a.ExtractDir != "ca-helper_"+releaseVersion+"_windows_amd64" {
		t.Errorf("ca-helper.json: %+v; want version %s, url %s, hash %s from SHA256SUMS", m, releaseVersion, releaseBase+zipName, sums[zipName])
	}
	want := `bin\ca-helper.exe bin\ca-helper-aws.exe bin\git-credential-codeartifact.exe bin\bazel-credential-codeartifact.exe bin\mvnw-ca.cmd`
	if got := strings.Join(m.Bin, " "); got != want {
		t.Errorf("ca-helper.json bin: %s, want %s", got, want)
	}
}

// checkFormula: every sha256 of ca-helper.rb is SHA256SUMS's for the archive
// of the url above it, all four unix archives are there, and ruby -c passes
// (in CI always: .ci/run installs ruby).
func checkFormula(t *testing.T, out string, sums map[string]string) {
	t.Helper()
	rb := filepath.Join(out, "ca-helper.rb")
	data, err := os.ReadFile(rb)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	pairs := regexp.MustCompile(`url "([^"]+)"\n\s*sha256 "([^"]*)"`).FindAllStringSubmatch(text, -1)
	if n := strings.Count(text, `sha256 "`); n != len(pairs) || n != 4 {
		t.Errorf("ca-helper.rb has %d sha256 lines, %d after a url; want 4 and 4:\n%s", n, len(pairs), text)
	}
	seen := map[string]bool{}
	for _, p := range pairs {
		name := path.Base(p[1])
		seen[name] = true
		if !strings.HasPrefix(p[1], releaseBase) || sums[name] == "" || p[2] != sums[name] {
			t.Errorf("ca-helper.rb: url %s with sha256 %s; SHA256SUMS has %q for %s", p[1], p[2], sums[name], name)
		}
	}
	for _, p := range releasePlatforms {
		if !strings.HasPrefix(p, "windows") && !seen[releaseArchive(p)] {
			t.Errorf("ca-helper.rb has no url for %s", releaseArchive(p))
		}
	}
	for _, want := range []string{`version "` + releaseVersion + `"`, `license "Apache-2.0"`, "bin.install_symlink", "pkgshare.install", "test do",
		`"maven", "stamp", "--path", opt_bin/"ca-helper", jar, jar`} {
		if !strings.Contains(text, want) {
			t.Errorf("ca-helper.rb lacks %s", want)
		}
	}
	if _, err := exec.LookPath("ruby"); err != nil && !testenv.InCI() {
		t.Log("ruby is not on PATH: not checking ca-helper.rb's syntax")
		return
	}
	ruby := testenv.Tool(t, "ruby", "apt-get install ruby")
	if b, err := exec.Command(ruby, "-c", rb).CombinedOutput(); err != nil {
		t.Errorf("ruby -c ca-helper.rb: %v\n%s", err, b)
	}
}

// TestReleaseGoInstallVersion: a build without -ldflags, as go install makes,
// prints its version with the commit from git's build info or none.
func TestReleaseGoInstallVersion(t *testing.T) {
	root, _ := filepath.Abs("..")
	exe := filepath.Join(t.TempDir(), "ca-helper")
	cmd := exec.Command("go", "build", "-o", exe, ".")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	out, err := exec.Command(exe, "version", "--format", "json").Output()
	var b struct{ Version, Commit, Date, Go string }
	if err != nil || json.Unmarshal(out, &b) != nil {
		t.Fatalf("version --format json: %v, %q", err, out)
	}
	if head := gitOut(t, root, "rev-parse", "--short=12", "HEAD"); b.Version == "" || (b.Commit != "" && b.Commit != head) || b.Go == "" {
		t.Errorf("version of a plain go build: %+v; want a version, commit %s or none", b, head)
	}
}

// withoutEnv is this process's environment without the named variables.
func withoutEnv(names ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		drop := false
		for _, n := range names {
			drop = drop || k == n
		}
		if !drop {
			env = append(env, kv)
		}
	}
	return env
}

func gitOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).Output()
	if err != nil {
		t.Fatalf("git %v: %v", args, err)
	}
	return strings.TrimSpace(string(out))
}

// readSHA256SUMS maps each name of a sha256sum-format file to its hash.
func readSHA256SUMS(t *testing.T, p string) map[string]string {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sums := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		hash, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(hash) != 64 {
			t.Fatalf("SHA256SUMS: malformed line %q", sc.Text())
		}
		sums[name] = hash
	}
	return sums
}

// extractTarGz unpacks a release archive into dir, symlinks included.
func extractTarGz(t *testing.T, archive, dir string) {
	t.Helper()
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, filepath.FromSlash(h.Name))
		switch h.Typeflag {
		case tar.TypeDir:
			err = os.MkdirAll(p, 0o755)
		case tar.TypeSymlink:
			err = os.Symlink(h.Linkname, p)
		default:
			var data []byte
			if data, err = io.ReadAll(tr); err == nil {
				err = os.WriteFile(p, data, os.FileMode(h.Mode))
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// releaseEnv is the environment scripts/release runs in from a test: this
// process's, with HOME in dir so that git, Maven and Go read none of the
// machine's own config (~/.gitconfig, ~/.mavenrc), and Go's caches and
// toolchain choice kept from the real environment, so nothing is fetched
// again. extra entries are added last.
func releaseEnv(t *testing.T, dir string, extra ...string) []string {
	t.Helper()
	env := withoutEnv("HOME", "CA_HELPER_RELEASE_BASE", "TZ", "XDG_CONFIG_HOME", "GIT_CONFIG_GLOBAL", "MAVEN_OPTS")
	for _, name := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOTOOLCHAIN", "GOPROXY", "GOSUMDB"} {
		env = append(env, name+"="+goEnv(t, name))
	}
	env = append(env, "HOME="+dir, "GIT_CONFIG_NOSYSTEM=1")
	return append(env, extra...)
}
