package test

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeWheel writes a pure-Python wheel of project at version into dir and
// returns its path: one module, METADATA, WHEEL and a RECORD with real
// hashes, so the upload clients (twine, uv publish) accept it without any
// build backend from an index.
func writeWheel(t *testing.T, dir, project, version string) string {
	t.Helper()
	mod := strings.ReplaceAll(project, "-", "_")
	info := mod + "-" + version + ".dist-info/"
	files := [][2]string{
		{mod + "/__init__.py", "NAME = " + fmt.Sprintf("%q", project) + "\n"},
		{info + "METADATA", "Metadata-Version: 2.1\nName: " + project + "\nVersion: " + version + "\nSummary: built by a test\n"},
		{info + "WHEEL", "Wheel-Version: 1.0\nGenerator: ca-helper-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"},
	}
	var record strings.Builder
	for _, f := range files {
		sum := sha256.Sum256([]byte(f[1]))
		fmt.Fprintf(&record, "%s,sha256=%s,%d\n", f[0], base64.RawURLEncoding.EncodeToString(sum[:]), len(f[1]))
	}
	record.WriteString(info + "RECORD,,\n")
	files = append(files, [2]string{info + "RECORD", record.String()})

	path := filepath.Join(dir, mod+"-"+version+"-py3-none-any.whl")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	z := zip.NewWriter(out)
	for _, f := range files {
		w, err := z.Create(f[0])
		if err == nil {
			_, err = w.Write([]byte(f[1]))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}
