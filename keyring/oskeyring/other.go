//go:build !((dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd || darwin || windows)

package oskeyring

import gokeyring "github.com/zalando/go-keyring"

// go-keyring has no keyring here: every call fails with its
// ErrUnsupportedPlatform, so "auto" falls back to files.
const UsesDBus = false

const MaxSecret = 64 << 10

// Fits compares the secret itself with limit.
func Fits(limit int, service, user string, n int) bool { return n <= limit }

// Get is go-keyring's Get.
func Get(service, user string) (string, error) { return gokeyring.Get(service, user) }

// Users cannot list items here; see ErrNoListing.
func Users(service string) ([]string, error) { return nil, ErrNoListing }
