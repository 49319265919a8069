package test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// TestSettingsConcurrentRunsKeepEveryServer: 20 `ca-helper settings` at once
// for 20 repositories into one settings.xml leave 20 servers, because each
// merges under the lock next to the file.
func TestSettingsConcurrentRunsKeepEveryServer(t *testing.T) {
	h := newHarness(t, fake.Options{})
	settings := filepath.Join(t.TempDir(), "settings.xml")
	const n = 20
	var wg sync.WaitGroup
	results := make([]result, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			repo := fmt.Sprintf("repo%02d", i)
			results[i] = h.run("ca-helper", "settings", "--repository", repo, "--settings-file", settings,
				"--url", caRepoURL(repo))
		}()
	}
	wg.Wait()
	data, err := os.ReadFile(settings)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range results {
		if r.code != 0 {
			t.Errorf("run %d: %s", i, r)
		}
		if id := fmt.Sprintf("<id>repo%02d</id>", i); strings.Count(string(data), id) < 2 { // server and profile repository
			t.Errorf("settings.xml lost %s", id)
		}
	}
	if got := strings.Count(string(data), "<server>"); got != n {
		t.Errorf("%d servers, want %d:\n%s", got, n, data)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(settings), ".settings.xml.*")); len(leftovers) > 0 {
		t.Errorf("lock or temp files left behind: %v", leftovers)
	}
}

// TestSettingsKeepsEditDuringEndpointCall: an edit made to settings.xml while
// `ca-helper settings` waits for GetRepositoryEndpoint survives its write.
func TestSettingsKeepsEditDuringEndpointCall(t *testing.T) {
	h := newHarness(t, fake.Options{})
	h.fake.SetFault(fake.Fault{Kind: fake.Slow, Delay: 2 * time.Second, Op: fake.OpGetRepositoryEndpoint})
	settings := filepath.Join(t.TempDir(), "settings.xml")
	writeFile(t, settings, "<settings>\n  <servers>\n  </servers>\n</settings>\n")
	done := make(chan result)
	go func() {
		done <- h.run("ca-helper", "settings", "--repository", "releases", "--settings-file", settings)
	}()
	// The run has read the file and waits on the endpoint: edit it now.
	for h.fake.Calls(fake.OpGetRepositoryEndpoint) == 0 {
		time.Sleep(20 * time.Millisecond)
	}
	writeFile(t, settings, "<settings>\n  <servers>\n    <server><id>mine</id><password>p</password></server>\n  </servers>\n</settings>\n")
	r := <-done
	if r.code != 0 {
		t.Fatalf("settings: %s", r)
	}
	data, _ := os.ReadFile(settings)
	for _, want := range []string{"<server><id>mine</id><password>p</password></server>", "<id>releases</id>"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("settings.xml lacks %q:\n%s", want, data)
		}
	}
}

// TestSettingsFileModes: settings.xml is written 0600 (it may hold other
// secrets); a project's .mvn/extensions.xml keeps the mode it had, and a new
// one is 0644, so every user of the checkout can read it.
func TestSettingsFileModes(t *testing.T) {
	h := newHarness(t, fake.Options{})
	tests := []struct {
		name    string
		oldMode os.FileMode // 0: no extensions.xml before
		want    os.FileMode
	}{
		{"new extensions.xml", 0, 0o644},
		{"group-writable one kept", 0o664, 0o664},
		{"private one kept", 0o600, 0o600},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			project := t.TempDir()
			ext := filepath.Join(project, ".mvn", "extensions.xml")
			if tt.oldMode != 0 {
				writeFile(t, ext, "<extensions>\n</extensions>\n")
				if err := os.Chmod(ext, tt.oldMode); err != nil {
					t.Fatal(err)
				}
			}
			settings := filepath.Join(project, "settings.xml")
			r := h.run("ca-helper", "settings", "--repository", "releases", "--extension", "--project", project,
				"--settings-file", settings, "--url", caRepoURL("releases"))
			if r.code != 0 {
				t.Fatalf("settings: %s", r)
			}
			for path, want := range map[string]os.FileMode{ext: tt.want, settings: 0o600} {
				if st, err := os.Stat(path); err != nil || st.Mode().Perm() != want {
					t.Errorf("%s: mode %v, want %v (%v)", filepath.Base(path), st.Mode().Perm(), want, err)
				}
			}
		})
	}
}

// caRepoURL is the Maven endpoint of repo in the harness's domain: with
// --url, `ca-helper settings` makes no API call.
func caRepoURL(repo string) string {
	return "https://demo-" + testOwner + ".d.codeartifact.us-east-1.amazonaws.com/maven/" + repo + "/"
}
