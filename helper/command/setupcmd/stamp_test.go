package setupcmd

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

type zipEntry struct{ name, body string }

func makeJar(t *testing.T, entries []zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		f, err := w.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(e.body))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readJar(t *testing.T, data []byte) []zipEntry {
	t.Helper()
	r, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out []zipEntry
	for _, f := range r.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		out = append(out, zipEntry{f.Name, string(b)})
	}
	return out
}

func TestStampJar(t *testing.T) {
	base := []zipEntry{
		{"META-INF/", ""},
		{"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nImplementation-Version: 1.0.0\r\n"},
		{"io/github/cahelper/maven/", ""},
		{"io/github/cahelper/maven/TokenCommand.class", "\xca\xfe\xba\xbe classes"},
		{"META-INF/sisu/javax.inject.Named", "io.github.cahelper.maven.Spy\n"},
	}
	withProps := slices.Insert(slices.Clone(base), 4, zipEntry{stampEntry, "path=/old/bin/ca-helper\n"})
	tests := []struct {
		name, path string
		in, want   []zipEntry
	}{
		{"added at the end", "/home/me/.local/bin/ca-helper", base,
			append(slices.Clone(base), zipEntry{stampEntry, "path=/home/me/.local/bin/ca-helper\n"})},
		{"replaced in place", "/opt/ca/bin/ca-helper", withProps,
			slices.Insert(slices.Clone(base), 4, zipEntry{stampEntry, "path=/opt/ca/bin/ca-helper\n"})},
		{"windows backslashes escaped", `C:\Users\me\.local\bin\ca-helper.exe`, base,
			append(slices.Clone(base), zipEntry{stampEntry, `path=C:\\Users\\me\\.local\\bin\\ca-helper.exe` + "\n"})},
		{"blanks kept, not ascii escaped", "/home/Zoë M/bin/ca-helper", base,
			append(slices.Clone(base), zipEntry{stampEntry, `path=/home/Zo\u00eb M/bin/ca-helper` + "\n"})},
		{"line break cannot add a property", "/x\nextra=1", base,
			append(slices.Clone(base), zipEntry{stampEntry, `path=/x\nextra=1` + "\n"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			in, out := filepath.Join(dir, "in.jar"), filepath.Join(dir, "share", "out.jar")
			if err := os.WriteFile(in, makeJar(t, tt.in), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := stampJar(in, out, tt.path); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if got := readJar(t, data); !slices.Equal(got, tt.want) {
				t.Errorf("entries:\n%q\nwant:\n%q", got, tt.want)
			}
			if st, _ := os.Stat(out); st.Mode().Perm() != 0o644 {
				t.Errorf("mode %v, want 0644", st.Mode().Perm())
			}
			if left, _ := filepath.Glob(filepath.Join(dir, "share", ".*")); len(left) != 0 {
				t.Errorf("temp files left: %v", left)
			}
		})
	}
}

func TestStampJarRefusesBadInput(t *testing.T) {
	dir := t.TempDir()
	notJar := filepath.Join(dir, "not.jar")
	os.WriteFile(notJar, []byte("plain text"), 0o644)
	good := filepath.Join(dir, "good.jar")
	os.WriteFile(good, makeJar(t, []zipEntry{{"a", "b"}}), 0o644)
	out := filepath.Join(dir, "out.jar")
	for _, tc := range []struct{ in, path string }{
		{notJar, "/bin/ca-helper"},
		{filepath.Join(dir, "missing.jar"), "/bin/ca-helper"},
		{good, ""},
	} {
		if err := stampJar(tc.in, out, tc.path); err == nil {
			t.Errorf("stamp %s --path %q: no error", tc.in, tc.path)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("stamp %s wrote %s", tc.in, out)
		}
	}
}

// TestStampRealJar: a jar made by the jar tool (deflated directory entries,
// the 0xCAFE marker) keeps every entry; only the path changes.
func TestStampRealJar(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "ext.jar"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := stamp(src, "/home/me/.local/bin/ca-helper")
	if err != nil {
		t.Fatal(err)
	}
	before, after := readJar(t, src), readJar(t, out)
	if len(before) != 8 || len(after) != len(before) {
		t.Fatalf("%d entries, then %d", len(before), len(after))
	}
	for i, e := range before {
		if e.name == stampEntry {
			e.body = "path=/home/me/.local/bin/ca-helper\n"
		}
		if after[i] != e {
			t.Errorf("entry %d: %q, want %q", i, after[i], e)
		}
	}
}

// TestStampJarInPlace: IN and OUT the same file, as the Homebrew formula
// runs it on the jar in pkgshare; running it again keeps the same entries.
func TestStampJarInPlace(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "ext.jar"))
	if err != nil {
		t.Fatal(err)
	}
	jar := filepath.Join(t.TempDir(), "ext.jar")
	if err := os.WriteFile(jar, src, 0o644); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := stampJar(jar, jar, "/opt/homebrew/opt/ca-helper/bin/ca-helper"); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := os.ReadFile(jar)
	want, err := stamp(src, "/opt/homebrew/opt/ca-helper/bin/ca-helper")
	if err != nil || !slices.Equal(readJar(t, got), readJar(t, want)) {
		t.Fatalf("stamped twice in place: entries %q, want %q (%v)", readJar(t, got), readJar(t, want), err)
	}
}
