//go:build !((dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd || darwin || windows)

package keyring

import gokeyring "github.com/zalando/go-keyring"

// go-keyring has no keyring here: every call fails with its
// ErrUnsupportedPlatform, so "auto" falls back to files.
const usesDBus = false

var maxKeyringSecret = 64 << 10

func fitsKeyring(service, user string, n int) bool { return n <= maxKeyringSecret }

// osGet is go-keyring's Get.
func osGet(service, user string) (string, error) { return gokeyring.Get(service, user) }
