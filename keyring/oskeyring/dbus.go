//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package oskeyring

import "github.com/ca-helper/ca-helper/keyring/secretservice"

// UsesDBus: go-keyring talks to the Secret Service over the session bus.
const UsesDBus = true

// MaxSecret is the largest value we put in the Secret Service. It has no
// hard limit but slows down with big items. 8 KiB is several times a real
// entry (~1.3 KB) and below the largest token ca-helper accepts (16 KiB), so,
// as on macOS and Windows, an oversized token takes the file path that auto
// has for it instead of a path no token can reach.
const MaxSecret = 8 << 10

// Fits compares the secret itself with limit.
func Fits(limit int, service, user string, n int) bool { return n <= limit }

// Get reads the Secret Service directly; see secretservice.Get.
func Get(service, user string) (string, error) { return secretservice.Get(service, user) }

// Users lists the user names of the service's items; see secretservice.Users.
func Users(service string) ([]string, error) { return secretservice.Users(service) }
