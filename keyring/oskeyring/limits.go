package oskeyring

import (
	"encoding/base64"
	"strings"
)

// limit is the largest item the OS keyring of one platform takes through
// go-keyring, in bytes as stored there, and how many of those bytes a
// secret of n bytes takes.
type limit struct {
	max    int
	stored func(service, user string, n int) int
}

// limitFor is the one table of keyring size limits, keyed by GOOS. Package
// keyring measures its encoded entry (the JSON document, about 90 bytes
// plus the token) with it; an entry that does not fit goes to a file.
func limitFor(goos string) limit {
	switch goos {
	case "windows":
		// The Credential Manager's CRED_MAX_CREDENTIAL_BLOB_SIZE (5*512).
		// go-keyring stores the secret's bytes as the blob, as given (no
		// UTF-16), and refuses more with ErrSetDataTooBig.
		return limit{max: 2560, stored: secretOnly}
	case "darwin", "ios":
		// go-keyring writes one command line to `security -i` and refuses
		// one longer than 4096 bytes with ErrSetDataTooBig; the secret goes
		// in base64, so about 2,980 bytes of secret fit.
		return limit{max: 4096, stored: securityCommand}
	case "linux", "dragonfly", "freebsd", "netbsd", "openbsd":
		// The Secret Service has no small limit but slows down with big
		// items. 8 KiB is several times a real entry (~1.3 KB) and below the
		// largest token ca-helper accepts (16 KiB), so an oversized token
		// takes the file path, as on macOS and Windows.
		return limit{max: 8 << 10, stored: secretOnly}
	}
	// go-keyring has no keyring here and every call fails, so auto uses
	// files anyway; the Secret Service's figure keeps one rule everywhere.
	return limit{max: 8 << 10, stored: secretOnly}
}

// MaxStored returns the largest item, in bytes as stored, that the keyring
// of goos takes.
func MaxStored(goos string) int { return limitFor(goos).max }

// StoredSize returns how many bytes of MaxStored(goos) a secret of n bytes
// for service and user takes.
func StoredSize(goos, service, user string, n int) int {
	return limitFor(goos).stored(service, user, n)
}

// secretOnly: the keyring stores the secret itself.
func secretOnly(_, _ string, n int) int { return n }

// securityCommand is the length of the line go-keyring writes to
// `security -i` on macOS:
//
//	add-generic-password -U -s SERVICE -a USER -w go-keyring-base64:BASE64\n
//
// each argument shell-quoted (base64 and the prefix never need quotes).
func securityCommand(service, user string, n int) int {
	const fixed = len("add-generic-password -U -s  -a  -w go-keyring-base64:\n")
	return fixed + quotedLen(service) + quotedLen(user) + base64.StdEncoding.EncodedLen(n)
}

// quotedLen is the length of go-keyring's shell quoting of s: s itself if
// every byte is in [A-Za-z0-9_@%+=:,./-], else s in single quotes with each
// ' written as '"'"'.
func quotedLen(s string) int {
	if s == "" {
		return 2
	}
	for i := 0; i < len(s); i++ {
		if !shellSafe(s[i]) {
			return len(s) + 2 + 4*strings.Count(s, "'")
		}
	}
	return len(s)
}

func shellSafe(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("_@%+=:,./-", c) >= 0
}
