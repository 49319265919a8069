//go:build unix

package target

import (
	"path/filepath"
	"syscall"
	"testing"

	"github.com/ca-helper/ca-helper/helper/failure/failuretest"
)

func TestLoadConfigRefusesPipesAndDevices(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "config.toml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{fifo: "not a regular file (a named pipe)", "/dev/zero": "not a regular file (a device)"} {
		_, err := LoadConfig(path) // a pipe without a writer: this returns at once, or the test times out
		failuretest.WantUsage(t, err, want)
	}
}
