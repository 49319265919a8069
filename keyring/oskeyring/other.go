//go:build !((dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd || darwin || windows)

package oskeyring

import gokeyring "github.com/zalando/go-keyring"

// go-keyring has no keyring here: every call fails with its
// ErrUnsupportedPlatform, so "auto" falls back to files.
const UsesDBus = false

// Get is go-keyring's Get.
func Get(service, user string) (string, error) { return gokeyring.Get(service, user) }

// Users cannot list items here; see ErrNoListing.
func Users(service string) ([]string, error) { return nil, ErrNoListing }
