package oskeyring

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
)

// entryOverhead is what package keyring's JSON document adds to a token:
// {"v":1,"token":"","expiration":"…Z","fetched":"…Z"}.
const entryOverhead = len(`{"v":1,"token":"","expiration":"2026-05-20T22:00:00Z","fetched":"2026-05-20T10:00:00Z"}`)

// realID is a cache key ID as package tokens makes it.
const realID = "my-domain_111122223333_eu-west-1_default_0123456789ab"

// securityLine is the line go-keyring's Set writes to `security -i`, built
// as go-keyring builds it, for names that need no quoting.
func securityLine(service, user, secret string) string {
	pw := "go-keyring-base64:" + base64.StdEncoding.EncodeToString([]byte(secret))
	return fmt.Sprintf("add-generic-password -U -s %s -a %s -w %s\n", service, user, pw)
}

func TestLimitTable(t *testing.T) {
	tests := []struct {
		goos      string
		max       int
		maxSecret int // the largest secret for service "ca-helper", user realID
	}{
		{"windows", 2560, 2560},
		{"darwin", 4096, 2985},
		{"ios", 4096, 2985},
		{"linux", 8 << 10, 8 << 10},
		{"freebsd", 8 << 10, 8 << 10},
		{"openbsd", 8 << 10, 8 << 10},
		{"netbsd", 8 << 10, 8 << 10},
		{"dragonfly", 8 << 10, 8 << 10},
		{"plan9", 8 << 10, 8 << 10}, // no keyring: the value only has to be consistent
	}
	for _, tt := range tests {
		t.Run(tt.goos, func(t *testing.T) {
			if got := MaxStored(tt.goos); got != tt.max {
				t.Errorf("MaxStored = %d, want %d", got, tt.max)
			}
			fits := func(n int) bool { return StoredSize(tt.goos, "ca-helper", realID, n) <= MaxStored(tt.goos) }
			if !fits(tt.maxSecret) || fits(tt.maxSecret+1) {
				t.Errorf("largest secret that fits: want %d (fits(%d) = %v, fits(%d) = %v)",
					tt.maxSecret, tt.maxSecret, fits(tt.maxSecret), tt.maxSecret+1, fits(tt.maxSecret+1))
			}
			real := entryOverhead + 1300 // a CodeArtifact token is about 1.2-1.3 KB
			if !fits(real) {
				t.Errorf("a real entry (%d bytes) does not fit", real)
			}
			if biggest := entryOverhead + 16<<10; fits(biggest) {
				t.Errorf("an entry with the largest token ca-helper accepts (%d bytes) fits; it must take the file path", biggest)
			}
		})
	}
}

// TestSecurityCommandMatchesGoKeyring: on macOS the size is that of the
// exact line go-keyring writes, which it refuses above 4096 bytes.
func TestSecurityCommandMatchesGoKeyring(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 1390, 2985, 2986} {
		secret := strings.Repeat("x", n)
		if got, want := StoredSize("darwin", "ca-helper", realID, n), len(securityLine("ca-helper", realID, secret)); got != want {
			t.Errorf("n=%d: StoredSize = %d, go-keyring writes %d bytes", n, got, want)
		}
	}
}

func TestQuotedLen(t *testing.T) {
	tests := []struct {
		s    string
		want string // go-keyring's shellescape.Quote(s)
	}{
		{"", "''"},
		{"ca-helper", "ca-helper"},
		{realID, realID},
		{"a b", "'a b'"},
		{"it's", `'it'"'"'s'`},
		{"é", "'é'"},
		{"go-keyring-base64:QUJD+/==", "go-keyring-base64:QUJD+/=="},
	}
	for _, tt := range tests {
		if got := quotedLen(tt.s); got != len(tt.want) {
			t.Errorf("quotedLen(%q) = %d, want %d (%s)", tt.s, got, len(tt.want), tt.want)
		}
	}
}
