//go:build !((dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd || darwin || windows)

package keyring

// go-keyring has no keyring here: every call fails with its
// ErrUnsupportedPlatform, so "auto" falls back to files.
const usesDBus = false

var maxKeyringSecret = 64 << 10

func fitsKeyring(service, user string, n int) bool { return n <= maxKeyringSecret }
