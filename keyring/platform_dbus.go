//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package keyring

// usesDBus: go-keyring talks to the Secret Service over the session bus.
const usesDBus = true

// maxKeyringSecret is the largest value we put in the Secret Service. It
// has no hard limit but slows down with big items; tests lower it.
var maxKeyringSecret = 64 << 10

func fitsKeyring(service, user string, n int) bool { return n <= maxKeyringSecret }
