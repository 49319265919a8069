package test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// TestReleaseInstallRefuses: get.sh installs nothing, leaves no temp file and
// says why in one error line and a hint when the archive does not match
// SHA256SUMS (one byte flipped), SHA256SUMS lacks its line or is missing, the
// download fails, or the system has no release. Through curl and wget.
func TestReleaseInstallRefuses(t *testing.T) {
	out := releaseDir(t)
	archive := "ca-helper_" + runtime.GOOS + "_" + runtime.GOARCH + ".tar.gz"
	getSh, err := os.ReadFile(filepath.Join(out, "get.sh")) // as the release serves it
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		downloader string
		change     func(t *testing.T, dir string) // the served release
		uname      string                         // "OS ARCH" uname prints; "" the real one
		want       string
	}{
		{name: "tampered archive, curl", downloader: "curl", change: flipByte(archive),
			want: "get.sh: error: checksum mismatch for " + archive},
		{name: "tampered archive, wget", downloader: "wget", change: flipByte(archive),
			want: "get.sh: error: checksum mismatch for " + archive},
		{name: "no SHA256SUMS line", downloader: "curl", change: func(t *testing.T, dir string) {
			sums := filepath.Join(dir, "SHA256SUMS")
			b, _ := os.ReadFile(sums)
			var keep []string
			for _, line := range strings.SplitAfter(string(b), "\n") {
				if !strings.HasSuffix(line, " "+archive+"\n") {
					keep = append(keep, line)
				}
			}
			writeFile(t, sums, strings.Join(keep, ""))
		}, want: "get.sh: error: SHA256SUMS has no checksum for " + archive},
		{name: "no SHA256SUMS, wget", downloader: "wget", change: func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "SHA256SUMS"))
		}, want: "SHA256SUMS: the archive's checksum cannot be checked"},
		{name: "no archive", downloader: "curl", change: func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, archive))
		}, want: "get.sh: error: could not download http://"},
		{name: "aarch64 maps to arm64", downloader: "curl", uname: "Linux aarch64", change: func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "ca-helper_linux_arm64.tar.gz")) // scripts/release makes one
		}, want: "could not download http://"}, // wanted below: …/ca-helper_linux_arm64.tar.gz
		{name: "unknown system", downloader: "curl", uname: "FreeBSD amd64", want: "get.sh: error: no ca-helper release for the system FreeBSD"},
		{name: "unknown machine", downloader: "curl", uname: "Linux riscv64", want: "get.sh: error: no ca-helper release for the machine riscv64"},
		{name: "windows", downloader: "curl", uname: "MINGW64_NT-10.0 x86_64", want: "ca-helper_windows_amd64.zip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			served := t.TempDir()
			files, _ := os.ReadDir(out)
			for _, f := range files {
				if f.Type().IsRegular() {
					b, _ := os.ReadFile(filepath.Join(out, f.Name()))
					writeFile(t, filepath.Join(served, f.Name()), string(b))
				}
			}
			if tt.change != nil {
				tt.change(t, served)
			}
			srv := httptest.NewServer(http.FileServer(http.Dir(served)))
			t.Cleanup(srv.Close)
			h := newHarness(t, fake.Options{})
			tools := toolPath(t, append(getShTools, tt.downloader)...)
			if tt.uname != "" {
				os.Remove(filepath.Join(tools, "uname"))
				osName, arch, _ := strings.Cut(tt.uname, " ")
				writeScript(t, filepath.Join(tools, "uname"), "#!/bin/sh\ncase $1 in -s) echo '"+osName+"' ;; -m) echo '"+arch+"' ;; esac\n")
			}
			h.env["PATH"] = tools
			prefix := filepath.Join(h.home, "prefix")
			h.env["PREFIX"] = prefix
			tmp := mkdir(t, filepath.Join(h.home, "tmp"))
			h.env["TMPDIR"] = tmp
			h.env["CA_HELPER_RELEASE_URL"] = srv.URL
			before := installedTree(t, h.home)

			r := h.runIn(h.home, getSh, filepath.Join(tools, "sh"), "-s")
			if r.code == 0 || r.stdout != "" || !strings.Contains(r.stderr, tt.want) || !strings.Contains(r.stderr, "\nget.sh: hint: ") {
				t.Errorf("get.sh: want a failure saying %q and a hint: %s", tt.want, r)
			}
			if strings.Contains(r.stderr, "install.sh: ") {
				t.Errorf("get.sh ran install.sh: %s", r)
			}
			if tt.name == "aarch64 maps to arm64" && !strings.Contains(r.stderr, "/ca-helper_linux_arm64.tar.gz") {
				t.Errorf("get.sh did not ask for the linux_arm64 archive: %s", r)
			}
			if after := installedTree(t, h.home); !slices.Equal(after, before) {
				t.Errorf("get.sh changed the home (PREFIX %s): before\n%s\nafter\n%s", prefix,
					strings.Join(before, "\n"), strings.Join(after, "\n"))
			}
			if left, _ := os.ReadDir(tmp); len(left) != 0 {
				t.Errorf("get.sh left %d temp files in TMPDIR", len(left))
			}
		})
	}
}

// flipByte changes one byte in the middle of the named file.
func flipByte(name string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		p := filepath.Join(dir, name)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		b[len(b)/2] ^= 0x01
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func writeScript(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
}
