package test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
	"github.com/ca-helper/ca-helper/test/testenv"
)

// nobody is the uid a planted wrapper belongs to: another user's file.
const nobody = 65534

// planted writes an executable mvnw into dir that only notes, in a file of the
// test's own, that it ran and whether the token variable was set (never the
// token: this file stands for what another user would collect).
func planted(t *testing.T, dir string) (record string) {
	t.Helper()
	record = filepath.Join(t.TempDir(), "planted-ran")
	body := "#!/bin/sh\necho \"ran token=${CODEARTIFACT_AUTH_TOKEN:+set}\" > '" + record + "'\n"
	if err := os.WriteFile(filepath.Join(dir, "mvnw"), []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return record
}

// mvnOnPath puts a recording `mvn` first on the harness PATH, the Maven
// mvnw-ca falls back to when there is no wrapper it may use.
func mvnOnPath(t *testing.T, h *harness) (record string) {
	t.Helper()
	dir := t.TempDir()
	_, record = recorder(t, dir, "mvn")
	h.env["PATH"] = dir + string(os.PathListSeparator) + h.env["PATH"]
	return record
}

func mkdirs(t *testing.T, mode os.FileMode, dirs ...string) {
	t.Helper()
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d, mode); err != nil { // exact mode, whatever the umask
			t.Fatal(err)
		}
	}
}

// wantRanWithToken checks that the recorder behind record ran with a token
// the fake issued.
func wantRanWithToken(t *testing.T, h *harness, record string, r result) {
	t.Helper()
	got, err := os.ReadFile(record)
	if err != nil {
		t.Fatalf("the expected Maven did not run: %v\n%s", err, r)
	}
	var tok string
	for _, l := range strings.Split(string(got), "\n") {
		if v, ok := strings.CutPrefix(l, "token="); ok {
			tok = v
		}
	}
	if r.code != 0 || !h.fake.ValidToken(tok) {
		t.Fatalf("Maven ran without a valid token: %s", r)
	}
}

// TestMvnwCaIgnoresWrapperAboveProjectRoot is the attack: a project in a
// world-writable directory (like /tmp) has no mvnw of its own, and another
// user's mvnw in that directory must not run with the token; mvn on PATH does.
func TestMvnwCaIgnoresWrapperAboveProjectRoot(t *testing.T) {
	h := newHarness(t, fake.Options{})
	shared := t.TempDir()
	mkdirs(t, 0o1777, shared)
	plantedRan := planted(t, shared)
	project := filepath.Join(shared, "project")
	mkdirs(t, 0o755, filepath.Join(project, "src"))
	mvnRan := mvnOnPath(t, h)

	r := h.runIn(filepath.Join(project, "src"), nil, "mvnw-ca", "-v")
	if fileExists(plantedRan) {
		got, _ := os.ReadFile(plantedRan)
		t.Fatalf("the mvnw planted above the project ran (%s): %s", strings.TrimSpace(string(got)), r)
	}
	wantRanWithToken(t, h, mvnRan, r)
}

// TestMvnwCaRefusesUntrustedWrapper: a mvnw inside the project's range that
// another user owns or could have replaced is refused with an error and a
// hint; neither it, nor Maven, nor even a token fetch runs.
func TestMvnwCaRefusesUntrustedWrapper(t *testing.T) {
	asRoot := os.Geteuid() == 0
	tests := []struct {
		name      string
		needsRoot bool // chown to another uid
		// setup builds the layout under base and returns the working dir and
		// the directory holding the mvnw.
		setup func(t *testing.T, base string) (work, wrapperDir string)
		owner int // uid to give the mvnw; -1 keeps ours
		mode  os.FileMode
		want  string
	}{
		{"owned by another user in the .mvn root", true, func(t *testing.T, base string) (string, string) {
			mkdirs(t, 0o755, filepath.Join(base, ".mvn"), filepath.Join(base, "module"))
			return filepath.Join(base, "module"), base
		}, nobody, 0o755, "owned by uid 65534"},
		{".mvn root writable by others", false, func(t *testing.T, base string) (string, string) {
			mkdirs(t, 0o755, filepath.Join(base, ".mvn"))
			mkdirs(t, 0o777, base)
			return base, base
		}, -1, 0o755, "writable by group or others"},
		{".mvn root writable by others despite the sticky bit", false, func(t *testing.T, base string) (string, string) {
			mkdirs(t, 0o755, filepath.Join(base, ".mvn"))
			mkdirs(t, 0o1777, base)
			return base, base
		}, -1, 0o755, "writable by group or others"},
		{".mvn root writable by the group", false, func(t *testing.T, base string) (string, string) {
			mkdirs(t, 0o755, filepath.Join(base, ".mvn"))
			mkdirs(t, 0o775, base)
			return base, base
		}, -1, 0o755, "writable by group or others"},
		{"mvnw itself writable by others", false, func(t *testing.T, base string) (string, string) {
			mkdirs(t, 0o755, filepath.Join(base, ".mvn"))
			return base, base
		}, -1, 0o757, "writable by group or others"},
		{".mvn and mvnw planted in a shared parent", false, func(t *testing.T, base string) (string, string) {
			mkdirs(t, 0o755, filepath.Join(base, ".mvn"), filepath.Join(base, "project"))
			mkdirs(t, 0o1777, base)
			return filepath.Join(base, "project"), base
		}, -1, 0o755, "writable by group or others"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.needsRoot && !asRoot {
				t.Skipf("giving the mvnw to uid %d needs root; euid is %d", nobody, os.Geteuid())
			}
			h := newHarness(t, fake.Options{})
			mvnRan := mvnOnPath(t, h)
			base := t.TempDir()
			work, wrapperDir := tt.setup(t, base)
			ran := planted(t, wrapperDir)
			mvnw := filepath.Join(wrapperDir, "mvnw")
			if err := os.Chmod(mvnw, tt.mode); err != nil {
				t.Fatal(err)
			}
			if tt.owner >= 0 {
				if err := os.Chown(mvnw, tt.owner, tt.owner); err != nil {
					t.Fatal(err)
				}
			}
			r := h.runIn(work, nil, "mvnw-ca", "-v")
			if fileExists(ran) || fileExists(mvnRan) {
				t.Fatalf("the untrusted mvnw (or Maven instead of it) ran: %s", r)
			}
			if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, "mvnw-ca: error: ") ||
				!strings.Contains(r.stderr, "mvnw-ca: hint: ") || !strings.Contains(r.stderr, tt.want) ||
				!strings.Contains(r.stderr, mvnw) {
				t.Fatalf("want exit 2, an error naming %s (%q) and a hint: %s", mvnw, tt.want, r)
			}
			if n := h.fake.TokenCalls(); n != 0 {
				t.Errorf("a refused wrapper still cost %d token calls", n)
			}
			// The way out the hint offers: name the wrapper you trust.
			h.env["CA_HELPER_MVN"] = mvnw
			if r := h.runIn(work, nil, "mvnw-ca", "-v"); r.code != 0 || !fileExists(ran) {
				t.Fatalf("CA_HELPER_MVN naming the wrapper did not run it: %s", r)
			}
		})
	}
}

// TestMvnwCaRunsWrapperWithinProjectRoot: the wrappers a project really has
// keep working, from any directory below the root that bounds the search.
func TestMvnwCaRunsWrapperWithinProjectRoot(t *testing.T) {
	tests := []struct {
		name string
		// setup returns the working dir and the dir whose mvnw must run; ""
		// means none may: mvn on PATH runs.
		setup func(t *testing.T, h *harness, base string) (work, wrapperDir string)
	}{
		{".mvn root above the working dir", func(t *testing.T, _ *harness, base string) (string, string) {
			mkdirs(t, 0o755, filepath.Join(base, ".mvn"), filepath.Join(base, "module", "sub"))
			return filepath.Join(base, "module", "sub"), base
		}},
		{"top of the git work tree", func(t *testing.T, h *harness, base string) (string, string) {
			gitInit(t, h, base)
			mkdirs(t, 0o755, filepath.Join(base, "a", "b"))
			return filepath.Join(base, "a", "b"), base
		}},
		{"nearest mvnw below the root wins", func(t *testing.T, _ *harness, base string) (string, string) {
			mkdirs(t, 0o755, filepath.Join(base, ".mvn"), filepath.Join(base, "module", "sub"))
			if err := os.WriteFile(filepath.Join(base, "mvnw"), []byte("#!/bin/sh\nexit 9\n"), 0o755); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(base, "module", "sub"), filepath.Join(base, "module")
		}},
		{"the working dir without a root", func(t *testing.T, _ *harness, base string) (string, string) {
			return base, base
		}},
		{".mvn root inside a git tree bounds the search", func(t *testing.T, h *harness, base string) (string, string) {
			gitInit(t, h, base)
			if err := os.WriteFile(filepath.Join(base, "mvnw"), []byte("#!/bin/sh\nexit 9\n"), 0o755); err != nil {
				t.Fatal(err)
			}
			mkdirs(t, 0o755, filepath.Join(base, "service", ".mvn"), filepath.Join(base, "service", "x"))
			return filepath.Join(base, "service", "x"), ""
		}},
		{"no mvnw at all", func(t *testing.T, _ *harness, base string) (string, string) {
			mkdirs(t, 0o755, filepath.Join(base, ".mvn"))
			return base, ""
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, fake.Options{})
			mvnRan := mvnOnPath(t, h)
			work, wrapperDir := tt.setup(t, h, t.TempDir())
			want := mvnRan
			if wrapperDir != "" {
				_, want = recorder(t, wrapperDir, "mvnw")
			}
			r := h.runIn(work, nil, "mvnw-ca", "-v")
			wantRanWithToken(t, h, want, r)
			if wrapperDir != "" && fileExists(mvnRan) {
				t.Fatal("mvn on PATH ran although the project has a wrapper")
			}
		})
	}
}

// gitInit makes dir a git work tree, with git reading no user or system config.
func gitInit(t *testing.T, h *harness, dir string) {
	t.Helper()
	git := testenv.Tool(t, "git", "apt-get install -y git")
	cmd := exec.Command(git, "init", "-q", dir)
	cmd.Env = append(h.environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git init: %v: %s", err, out)
	}
}
