package privfile

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func TestIsTemp(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{".my-domain_111122223333_eu-west-1_default_0123456789ab.json.tmp-1804289383", true},
		{".index.json.tmp-7", true},
		{".settings.xml.tmp-42", true},
		{"my-domain.json", false},
		{"index.json", false},
		{"my-domain.json.tmp-123", false},       // no leading dot
		{".my-domain.json.tmp-", false},         // no random part
		{".my-domain.json.tmp-12a", false},      // not digits
		{"..tmp-123", false},                    // names nothing
		{".my-domain.lock", false},              // a lock file
		{".my-domain.json.tmp-123/x", false},    // not a base name
		{".my-domain.json.tmp-123.json", false}, // not what CreateTemp makes
	}
	for _, tt := range tests {
		if got := IsTemp(tt.name); got != tt.want {
			t.Errorf("IsTemp(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestStaleTemps plants temp files as WriteAtomic names them, old and new,
// next to files that are no temp files, and wants only the old ones.
func TestStaleTemps(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	plant := func(name string, age time.Duration) string {
		t.Helper()
		f, err := os.CreateTemp(dir, "."+name+tempMark+"*") // as WriteAtomic does
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
		if err := os.Chtimes(f.Name(), now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
		return filepath.Base(f.Name())
	}
	old := plant("a.json", time.Hour)
	oldIndex := plant("index.json", time.Minute)
	plant("b.json", 0) // a write under way
	for _, name := range []string{"a.json", "index.json", "a.lock"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(filepath.Join(dir, name), now.Add(-time.Hour), now.Add(-time.Hour))
	}
	if err := os.Mkdir(filepath.Join(dir, ".c.json.tmp-5"), 0o700); err != nil { // not a regular file
		t.Fatal(err)
	}
	got, err := StaleTemps(dir, now.Add(-30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{old, oldIndex}
	if old > oldIndex {
		want = []string{oldIndex, old}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("StaleTemps = %q, want %q", got, want)
	}
}
