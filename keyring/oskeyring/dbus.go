//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package oskeyring

import "github.com/ca-helper/ca-helper/keyring/secretservice"

// UsesDBus: go-keyring talks to the Secret Service over the session bus.
const UsesDBus = true

// Get reads the Secret Service directly; see secretservice.Get.
func Get(service, user string) (string, error) { return secretservice.Get(service, user) }

// Users lists the user names of the service's items; see secretservice.Users.
func Users(service string) ([]string, error) { return secretservice.Users(service) }
