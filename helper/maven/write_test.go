package maven

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

func TestWriteFile(t *testing.T) {
	tests := []struct {
		name        string
		old         *string // nil: no file
		bak         *string // nil: no backup yet
		data        string
		wantChanged bool
		wantBak     *string // nil: no backup afterwards
	}{
		{name: "new file", data: "new", wantChanged: true},
		{name: "replace keeps a backup", old: ptr("old"), data: "new", wantChanged: true, wantBak: ptr("old")},
		{name: "existing backup is kept", old: ptr("second"), bak: ptr("first"), data: "third", wantChanged: true, wantBak: ptr("first")},
		{name: "identical content is left alone", old: ptr("same"), data: "same", wantBak: nil},
		{name: "empty file is replaced", old: ptr(""), data: "new", wantChanged: true, wantBak: ptr("")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), ".m2")
			path := filepath.Join(dir, "settings.xml")
			if tt.old != nil || tt.bak != nil {
				mustWrite(t, dir, "settings.xml", tt.old, 0o644)
				mustWrite(t, dir, "settings.xml.bak", tt.bak, 0o644)
			}
			var oldInfo os.FileInfo
			if tt.old != nil {
				oldInfo, _ = os.Stat(path)
			}
			changed, err := WriteFile(path, []byte(tt.data))
			if err != nil || changed != tt.wantChanged {
				t.Fatalf("WriteFile = %v, %v; want %v, nil", changed, err, tt.wantChanged)
			}
			assertFile(t, path, tt.data)
			if tt.wantChanged {
				assertMode(t, path, 0o600)
			} else if info, _ := os.Stat(path); !os.SameFile(info, oldInfo) {
				t.Error("unchanged file was replaced")
			}
			if tt.wantBak == nil {
				if _, err := os.Lstat(path + ".bak"); !os.IsNotExist(err) {
					t.Errorf("backup exists (%v), want none", err)
				}
			} else {
				assertFile(t, path+".bak", *tt.wantBak)
				if tt.bak == nil {
					assertMode(t, path+".bak", 0o600)
				}
			}
			entries, _ := os.ReadDir(dir)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			want := []string{"settings.xml"}
			if tt.wantBak != nil {
				want = append(want, "settings.xml.bak")
			}
			if !slices.Equal(names, want) {
				t.Errorf("directory holds %v, want %v (no temp files)", names, want)
			}
			if tt.old == nil && tt.bak == nil {
				assertMode(t, dir, 0o700|os.ModeDir)
			}
		})
	}
}

// TestWriteFileBackupOnce: the backup is the file as it was before the first
// write, however often it is rewritten after.
func TestWriteFileBackupOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "settings.xml")
	mustWrite(t, filepath.Dir(path), "settings.xml", ptr("original"), 0o644)
	for _, data := range []string{"one", "two", "three"} {
		if _, err := WriteFile(path, []byte(data)); err != nil {
			t.Fatal(err)
		}
		assertFile(t, path, data)
		assertFile(t, path+".bak", "original")
	}
}

func TestWriteFileFollowsSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "dotfiles", "settings.xml")
	mustWrite(t, filepath.Dir(target), "settings.xml", ptr("old"), 0o600)
	link := filepath.Join(dir, "settings.xml")
	if err := os.Symlink(target, link); err != nil {
		if runtime.GOOS == "windows" {
			t.Skipf("symlinks need developer mode on Windows: %v", err)
		}
		t.Fatalf("symlink: %v", err)
	}
	if _, err := WriteFile(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("link was replaced by a file (%v)", err)
	}
	assertFile(t, target, "new")
	assertFile(t, target+".bak", "old")
}

func ptr(s string) *string { return &s }

func mustWrite(t *testing.T, dir, name string, data *string, mode os.FileMode) {
	t.Helper()
	if data == nil {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(*data), mode); err != nil {
		t.Fatal(err)
	}
}

func assertFile(t *testing.T, path, want string) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil || string(got) != want {
		t.Errorf("%s = %q, %v; want %q", filepath.Base(path), got, err, want)
	}
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	if runtime.GOOS == "windows" {
		return // no Unix permission bits
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode() != want {
		t.Errorf("%s mode = %v, want %v", filepath.Base(path), info.Mode(), want)
	}
}
