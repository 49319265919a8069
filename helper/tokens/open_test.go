package tokens

import (
	"testing"

	"github.com/ca-helper/ca-helper/helper/failure/failuretest"
	"github.com/ca-helper/ca-helper/helper/target"
)

// TestOpenWithoutAnyDirectory: with no variable naming a cache directory,
// caching off still opens (no store dir, no lock dir), and every mode that
// would store something is a usage error naming what to set.
func TestOpenWithoutAnyDirectory(t *testing.T) {
	env := Env{Getenv: func(string) string { return "" }}
	svc, err := Open(env, target.Options{Cache: "none"})
	if err != nil || svc.Store.Name() != "none" || svc.LockDir != "" {
		t.Fatalf("Open(none) = %+v, %v; want the none store and no lock dir", svc, err)
	}
	for _, mode := range []string{"auto", "keyring", "file"} {
		_, err := Open(env, target.Options{Cache: mode})
		failuretest.WantUsage(t, err, "--cache "+mode, "CA_HELPER_CACHE_DIR", "HOME")
	}
}
