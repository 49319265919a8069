//go:build unix

package test

// Temp files an interrupted cache write left are reported and swept.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// TestTempLeftoversSwept: a get killed between writing the temp file of an
// entry and renaming it leaves a file holding a token. status mentions such
// files (never their content), erase removes them, and so does the next get
// that writes the cache; a fresh temp file, which a concurrent writer may be
// about to rename, is left alone.
func TestTempLeftoversSwept(t *testing.T) {
	h := newHarness(t, fake.Options{})
	tok := h.mustGet()
	id := strings.TrimSuffix(filepath.Base(entryPath(t, h)), ".json")
	const secretLike = "LEFTOVERTOKEN0123456789abcdefghijklmnopqrstuvwxyz"
	plant := func(suffix string, age time.Duration) string {
		p := filepath.Join(h.cache, "."+id+".json.tmp-"+suffix)
		body := `{"v":1,"token":"` + secretLike + `","expiration":"2099-01-01T00:00:00Z","fetched":"2026-01-01T00:00:00Z"}`
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		when := time.Now().Add(-age)
		if err := os.Chtimes(p, when, when); err != nil {
			t.Fatal(err)
		}
		return p
	}

	old := plant("1804289383", time.Hour)
	r := h.run("ca-helper", "status")
	if r.code != 0 || !strings.Contains(r.stderr, "1 temporary file") || !strings.Contains(r.stderr, "will be removed") {
		t.Errorf("status does not mention the leftover temp file:\n%s", r)
	}
	for _, out := range []string{r.stdout, r.stderr} {
		if strings.Contains(out, secretLike) || strings.Contains(out, tok) {
			t.Errorf("status shows a token")
		}
	}
	if r := h.run("ca-helper", "erase"); r.code != 0 {
		t.Fatalf("erase: %s", r)
	}
	if fileExists(old) {
		t.Error("erase left the temp file with a token")
	}

	old = plant("846930886", time.Hour)
	fresh := plant("1681692777", 0)
	h.mustGet() // the entry was erased: this get writes the cache
	if fileExists(old) {
		t.Error("a get that wrote the cache left the old temp file")
	}
	if !fileExists(fresh) {
		t.Error("a get removed a fresh temp file, which a concurrent writer may still rename")
	}
}
