//go:build windows

package keyring

import gokeyring "github.com/zalando/go-keyring"

const usesDBus = false

// maxKeyringSecret is the Credential Manager's limit on a secret blob;
// go-keyring refuses more with ErrSetDataTooBig.
var maxKeyringSecret = 2560

func fitsKeyring(service, user string, n int) bool { return n <= maxKeyringSecret }

// osGet is go-keyring's Get.
func osGet(service, user string) (string, error) { return gokeyring.Get(service, user) }
