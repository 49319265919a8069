package keyring

import "testing"

// The lock itself is tested in package lock; Lock adds the key check.
func TestLockRejectsBadKey(t *testing.T) {
	if _, err := Lock(t.Context(), cacheDir(t), Key{ID: "../escape"}, 0); err == nil {
		t.Error("Lock with ID ../escape succeeded")
	}
}
