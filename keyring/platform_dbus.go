//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package keyring

// usesDBus: go-keyring talks to the Secret Service over the session bus.
const usesDBus = true

// maxKeyringSecret is the largest value we put in the Secret Service. It
// has no hard limit but slows down with big items. 8 KiB is several times a
// real entry (~1.3 KB) and below the largest token ca-helper accepts (16 KiB),
// so, as on macOS and Windows, an oversized token takes the file path that
// auto has for it instead of a path no token can reach. Tests change it.
var maxKeyringSecret = 8 << 10

func fitsKeyring(service, user string, n int) bool { return n <= maxKeyringSecret }

// osGet reads the Secret Service directly; see secretServiceGet.
func osGet(service, user string) (string, error) { return secretServiceGet(service, user) }
