package target

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/failure/failuretest"
)

// envMap is a getenv backed by a map.
func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// writeFile writes content to name in a new temp dir and returns the path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func wantUsage(t *testing.T, err error, parts ...string) {
	t.Helper()
	failuretest.WantCode(t, err, failure.Usage, parts...)
}

func wantCode(t *testing.T, err error, code int, parts ...string) {
	t.Helper()
	failuretest.WantCode(t, err, code, parts...)
}
