// Package oskeyring is what package keyring knows about the OS keyring on
// each platform, which it reaches through zalando/go-keyring: whether
// go-keyring speaks D-Bus there (UsesDBus) and so must not be called without
// a session bus (SessionBusMissing); the largest item each platform's
// keyring takes (MaxStored, StoredSize: one table, in limits.go); Get,
// which is go-keyring's except on D-Bus platforms, where package
// secretservice reads the Secret Service in fewer round trips; and Users,
// which lists a service's items where the keyring can be searched (the
// Secret Service).
package oskeyring

import (
	"errors"
	"os"
)

// ErrNoListing is what Users returns where go-keyring gives no way to list
// a service's items (macOS, Windows): package keyring falls back to its
// index there.
var ErrNoListing = errors.New("this keyring cannot list its items")

// SessionBusMissing reports whether go-keyring must not be called because
// this is a D-Bus platform without a session bus address: go-keyring would
// try to autolaunch a bus.
func SessionBusMissing() bool {
	if !UsesDBus {
		return false
	}
	a := os.Getenv("DBUS_SESSION_BUS_ADDRESS")
	return a == "" || a == "autolaunch:"
}
