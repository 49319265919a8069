//go:build darwin

package oskeyring

import (
	"encoding/base64"

	gokeyring "github.com/zalando/go-keyring"
)

const UsesDBus = false

// MaxSecret is the longest command go-keyring writes to `security -i`:
// "add-generic-password -U -s SERVICE -a USER -w
// go-keyring-base64:BASE64(secret)\n". It refuses longer ones with
// ErrSetDataTooBig, which leaves about 3,000 bytes for the secret.
const MaxSecret = 4096

// Fits measures the command that stores the secret against limit.
func Fits(limit int, service, user string, n int) bool {
	const fixed = len("add-generic-password -U -s  -a  -w go-keyring-base64:\n") + 3*2 // quotes
	return fixed+len(service)+len(user)+base64.StdEncoding.EncodedLen(n) <= limit
}

// Get is go-keyring's Get.
func Get(service, user string) (string, error) { return gokeyring.Get(service, user) }

// Users cannot list items here; see ErrNoListing.
func Users(service string) ([]string, error) { return nil, ErrNoListing }
