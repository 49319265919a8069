package keyring

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/keyring/oskeyring"
)

// TestAutoOverPlatformLimitGoesToFile: with this platform's own entry of the
// size table (not a lowered one), the largest entry that fits goes to the
// keyring and one byte more goes to a file, with the MovedToFile warning.
func TestAutoOverPlatformLimitGoesToFile(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/fake")
	stored := func(tokLen int) int {
		b, err := Encode(entry(strings.Repeat("B", tokLen)))
		if err != nil {
			t.Fatal(err)
		}
		return oskeyring.StoredSize(runtime.GOOS, Service, testKey.ID, len(b))
	}
	// stored grows with the token: search for the largest that fits.
	largest := sort.Search(maxEntrySize, func(n int) bool { return stored(n+1) > oskeyring.MaxStored(runtime.GOOS) })
	tests := []struct {
		tokLen  int
		backend string
	}{
		{largest, "keyring"},
		{largest + 1, "file"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d byte token", tt.tokLen), func(t *testing.T) {
			fake := &fakeKeyring{}
			s, _, w := openFake(t, "auto", fake, 0)
			if err := s.Set(testKey, entry(strings.Repeat("B", tt.tokLen))); err != nil {
				t.Fatal(err)
			}
			items, err := s.List()
			if err != nil || len(items) != 1 || items[0].Backend != tt.backend {
				t.Fatalf("List = %+v, %v; want the entry in %s", items, err, tt.backend)
			}
			moved := len(w.all()) == 1 && w.all()[0].Kind == MovedToFile
			if moved != (tt.backend == "file") {
				t.Errorf("events = %v, want a MovedToFile warning exactly when the entry went to a file", w.all())
			}
		})
	}
	t.Logf("%s: the largest token the keyring takes is %d bytes", runtime.GOOS, largest)
}
