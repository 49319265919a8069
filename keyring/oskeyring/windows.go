//go:build windows

package oskeyring

import gokeyring "github.com/zalando/go-keyring"

const UsesDBus = false

// Get is go-keyring's Get.
func Get(service, user string) (string, error) { return gokeyring.Get(service, user) }

// Users cannot list items here; see ErrNoListing.
func Users(service string) ([]string, error) { return nil, ErrNoListing }
