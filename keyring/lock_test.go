package keyring

import (
	"testing"

	"github.com/ca-helper/ca-helper/keyring/keyringtest"
)

// The lock itself is tested in package lock; Lock adds the key check.
func TestLockRejectsBadKey(t *testing.T) {
	if _, err := Lock(t.Context(), keyringtest.CacheDir(t), Key{ID: "../escape"}, 0); err == nil {
		t.Error("Lock with ID ../escape succeeded")
	}
}
