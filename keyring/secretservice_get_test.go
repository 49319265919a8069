//go:build linux

package keyring

// The keyring store's Get goes through secretservice.Get on D-Bus platforms,
// which package secretservice tests against go-keyring itself. Run as the
// other Secret Service tests (recipe at the top of secretservice_test.go).

import (
	"errors"
	"testing"

	gokeyring "github.com/zalando/go-keyring"

	"github.com/ca-helper/ca-helper/keyring/keyringtest"
)

// otherService stores items these tests must not read.
const otherService = "ca-helper-test-other"

// TestSecretServiceGetThroughStore: the store maps secretservice.Get's
// answers as it maps go-keyring's.
func TestSecretServiceGetThroughStore(t *testing.T) {
	requireSecretService(t)
	s, _ := openStore(t, "keyring", keyringtest.CacheDir(t))
	k := uniqueKey(t)
	if _, err := s.Get(k); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get of a missing item = %v, want ErrNotFound", err)
	}
	t.Cleanup(func() { gokeyring.Delete(otherService, k.ID) })
	if err := gokeyring.Set(otherService, k.ID, string(mustEncode(t, entry(secret)))); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(k); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get with only another service's item = %v, want ErrNotFound", err)
	}
	if err := gokeyring.Set(Service, k.ID, string(mustEncode(t, entry(secret)))); err != nil {
		t.Fatal(err)
	}
	if e, err := s.Get(k); err != nil || e.Token.Reveal() != secret {
		t.Fatalf("Get = %v, %v", e, err)
	}
}

func mustEncode(t *testing.T, e Entry) []byte {
	t.Helper()
	b, err := Encode(e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
