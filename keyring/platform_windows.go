//go:build windows

package keyring

const usesDBus = false

// maxKeyringSecret is the Credential Manager's limit on a secret blob;
// go-keyring refuses more with ErrSetDataTooBig.
var maxKeyringSecret = 2560

func fitsKeyring(service, user string, n int) bool { return n <= maxKeyringSecret }
