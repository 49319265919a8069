package test

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
	"github.com/ca-helper/ca-helper/test/testenv"
)

const releaseVersion = "0.0.0-test"

var releasePlatforms = []string{"linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64", "windows_amd64"}

// TestRelease builds the release twice, the second time in another time zone
// and umask, and wants the same bytes; then checks every archive's entries,
// runs the host's ca-helper from its archive against the fake, and checks the
// Homebrew formula and the Scoop manifest against SHA256SUMS.
func TestRelease(t *testing.T) {
	testenv.Tool(t, "mvn", "install Maven (apt-get install maven)", "-v")
	testenv.Tool(t, "javac", "install a JDK (apt-get install default-jdk-headless)", "-version")
	testenv.Tool(t, "jar", "install a JDK (apt-get install default-jdk-headless)", "--version")
	root, _ := filepath.Abs("..")
	outs := []string{t.TempDir(), t.TempDir()}
	for i, out := range outs {
		// The second run: another time zone and umask must not show in the files.
		cmd := exec.Command("sh", "-c", `umask `+[]string{"022", "077"}[i]+` && exec "$0" "$@"`,
			filepath.Join(root, "scripts", "release"), releaseVersion, out, "--allow-dirty")
		cmd.Dir = root
		cmd.Env = releaseEnv(t, t.TempDir(), "TZ="+[]string{"UTC", "Pacific/Auckland"}[i])
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("scripts/release run %d: %v\n%s", i+1, err, b)
		}
	}
	first, second := hashDir(t, outs[0]), hashDir(t, outs[1])
	want := []string{"SHA256SUMS", "ca-helper.json", "ca-helper.rb"}
	for _, p := range releasePlatforms {
		want = append(want, releaseArchive(p))
	}
	if fileExists(filepath.Join(root, "get.sh")) {
		want = append(want, "get.sh")
	}
	slices.Sort(want)
	if got := sortedKeys(first); !slices.Equal(got, want) {
		t.Fatalf("release wrote %v, want %v", got, want)
	}
	for name, sum := range first {
		if second[name] != sum {
			t.Errorf("%s differs between two builds of one commit: %s, then %s", name, sum, second[name])
		}
	}

	out := outs[0]
	commitTime := gitOut(t, root, "log", "-1", "--format=%ct")
	epoch, _ := strconv.ParseInt(commitTime, 10, 64)
	for _, p := range releasePlatforms {
		path := filepath.Join(out, releaseArchive(p))
		got := archiveEntries(t, path, time.Unix(epoch, 0))
		if w := wantEntries(p); !slices.Equal(got, w) {
			t.Errorf("%s entries:\n%s\nwant:\n%s", releaseArchive(p), strings.Join(got, "\n"), strings.Join(w, "\n"))
		}
		if st, err := os.Stat(path); err == nil {
			t.Logf("%-32s %6.2f MB", releaseArchive(p), float64(st.Size())/1e6)
		}
	}
	sums := readSHA256SUMS(t, filepath.Join(out, "SHA256SUMS"))
	for name, sum := range first {
		if name != "SHA256SUMS" && name != "ca-helper.rb" && name != "ca-helper.json" && sums[name] != sum {
			t.Errorf("SHA256SUMS says %s for %s, its sha256 is %s", sums[name], name, sum)
		}
	}
	checkScoop(t, out, sums)
	checkFormula(t, out, sums)
	runReleased(t, root, out, epoch)
}

// runReleased extracts this machine's archive and runs its ca-helper: the
// version stamped in, and a get whose first fetch runs the archive's
// ca-helper-aws (the only one: PATH holds just the archive's bin).
func runReleased(t *testing.T, root, out string, epoch int64) {
	platform := runtime.GOOS + "_" + runtime.GOARCH
	if runtime.GOOS == "windows" || !slices.Contains(releasePlatforms, platform) {
		t.Logf("no unix archive for %s: not running one", platform)
		return
	}
	dir := t.TempDir()
	extractTarGz(t, filepath.Join(out, releaseArchive(platform)), dir)
	bin := filepath.Join(dir, "ca-helper_"+releaseVersion+"_"+platform, "bin")
	h := newHarness(t, fake.Options{})
	h.env["PATH"] = bin
	r := h.run(filepath.Join(bin, "ca-helper"), "version", "--format", "json")
	var b struct{ Version, Commit, Date, Go string }
	if err := json.Unmarshal([]byte(r.stdout), &b); r.code != 0 || err != nil {
		t.Fatalf("version --format json: %v\n%s", err, r)
	}
	wantDate := time.Unix(epoch, 0).UTC().Format(time.RFC3339)
	if b.Version != releaseVersion || b.Commit != gitOut(t, root, "rev-parse", "--short=12", "HEAD") || b.Date != wantDate || !strings.HasPrefix(b.Go, "go1.") {
		t.Errorf("version of the released binary: %+v; want %s, HEAD, %s", b, releaseVersion, wantDate)
	}
	first := h.mustGet()
	if h.fake.TokenCalls() != 1 {
		t.Fatalf("first get made %d token calls, want 1 (through the archive's ca-helper-aws)", h.fake.TokenCalls())
	}
	if again := h.mustGet(); again != first || h.fake.TokenCalls() != 1 {
		t.Errorf("second get: same token %v, %d token calls; want the cached token", again == first, h.fake.TokenCalls())
	}
}

func releaseArchive(platform string) string {
	if strings.HasPrefix(platform, "windows") {
		return "ca-helper_" + platform + ".zip"
	}
	return "ca-helper_" + platform + ".tar.gz"
}

// wantEntries is an archive's exact listing: "MODE NAME[ -> TARGET]", in the
// order of the archive (sorted, each directory before what it holds).
func wantEntries(platform string) []string {
	top := "ca-helper_" + releaseVersion + "_" + platform + "/"
	bin := []string{
		"Lrwxrwxrwx bin/bazel-credential-codeartifact -> ca-helper",
		"-rwxr-xr-x bin/ca-helper",
		"-rwxr-xr-x bin/ca-helper-aws",
		"Lrwxrwxrwx bin/git-credential-codeartifact -> ca-helper",
	}
	if strings.HasPrefix(platform, "windows") {
		bin = []string{
			"-rwxr-xr-x bin/bazel-credential-codeartifact.exe",
			"-rwxr-xr-x bin/ca-helper-aws.exe",
			"-rwxr-xr-x bin/ca-helper.exe",
			"-rwxr-xr-x bin/git-credential-codeartifact.exe",
		}
	}
	lines := []string{"drwxr-xr-x ", "-rw-r--r-- CHANGELOG.md", "-rw-r--r-- LICENSE", "-rw-r--r-- README.md", "drwxr-xr-x bin/"}
	lines = append(lines, bin...)
	lines = append(lines,
		"-rwxr-xr-x bin/mvnw-ca",
		"-rw-r--r-- bin/mvnw-ca.cmd",
		"-rwxr-xr-x install.sh",
		"drwxr-xr-x share/",
		"drwxr-xr-x share/ca-helper/",
		"-rw-r--r-- share/ca-helper/ca-helper-maven-extension-1.0.0.jar",
		"-rw-r--r-- share/ca-helper/ca-helper-maven-extension-1.0.0.pom",
		"drwxr-xr-x share/completions/",
		"-rw-r--r-- share/completions/_ca-helper",
		"-rw-r--r-- share/completions/ca-helper.bash",
		"-rw-r--r-- share/completions/ca-helper.fish",
	)
	for i, l := range lines {
		lines[i] = l[:11] + top + l[11:]
	}
	return lines
}

// archiveEntries lists a tar.gz or zip as wantEntries does, and fails t for
// an entry whose time is not when or whose owner is not 0/0 without names.
func archiveEntries(t *testing.T, path string, when time.Time) []string {
	t.Helper()
	var lines []string
	check := func(name string, mod time.Time, owner string) {
		if !mod.Equal(when) || owner != "0/0//" {
			t.Errorf("%s: %s has time %s and owner %q, want %s and 0/0 without names", filepath.Base(path), name, mod.UTC(), owner, when.UTC())
		}
	}
	if strings.HasSuffix(path, ".zip") {
		zr, err := zip.OpenReader(path)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		for _, f := range zr.File {
			lines = append(lines, f.Mode().String()+" "+f.Name)
			check(f.Name, f.Modified, "0/0//")
		}
		return lines
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	if gz.Name != "" || !gz.ModTime.IsZero() {
		t.Errorf("%s: gzip header has name %q and time %s, want neither", filepath.Base(path), gz.Name, gz.ModTime)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return lines
		}
		if err != nil {
			t.Fatal(err)
		}
		l := h.FileInfo().Mode().String() + " " + h.Name
		if h.Typeflag == tar.TypeSymlink {
			l += " -> " + h.Linkname
		}
		lines = append(lines, l)
		check(h.Name, h.ModTime, fmt.Sprintf("%d/%d/%s/%s", h.Uid, h.Gid, h.Uname, h.Gname))
	}
}

// hashDir maps each file of dir to its sha256.
func hashDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	sums := map[string]string{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		sums[e.Name()] = hex.EncodeToString(sum[:])
	}
	return sums
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
