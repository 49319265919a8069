//go:build windows

package oskeyring

import gokeyring "github.com/zalando/go-keyring"

const UsesDBus = false

// MaxSecret is the Credential Manager's limit on a secret blob; go-keyring
// refuses more with ErrSetDataTooBig.
const MaxSecret = 2560

// Fits compares the secret itself with limit.
func Fits(limit int, service, user string, n int) bool { return n <= limit }

// Get is go-keyring's Get.
func Get(service, user string) (string, error) { return gokeyring.Get(service, user) }

// Users cannot list items here; see ErrNoListing.
func Users(service string) ([]string, error) { return nil, ErrNoListing }
