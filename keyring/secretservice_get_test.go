//go:build linux

package keyring

// secretServiceGet against a real gnome-keyring: it must find exactly the
// items go-keyring writes and return what go-keyring's Get returns. Run as
// the other Secret Service tests (recipe at the top of secretservice_test.go).

import (
	"errors"
	"strings"
	"testing"

	gokeyring "github.com/zalando/go-keyring"
)

// otherService stores items these tests must not read.
const otherService = "ca-helper-test-other"

func TestSecretServiceGetReadsGoKeyringItems(t *testing.T) {
	requireSecretService(t)
	encoded, err := Encode(entry(strings.Repeat("t", 1500)))
	if err != nil {
		t.Fatal(err)
	}
	const unicodeJSON = `{"v":1,"token":"tök€n ✓ 🔑 \"q\" \\ \u00e9","note":"line\nbreak\ttab"}`
	type item struct{ service, userSuffix, secret string }
	tests := []struct {
		name  string
		items []item // written with go-keyring; userSuffix is appended to the test's user
		want  string // "" means ErrNotFound
	}{
		{"entry written by go-keyring", []item{{Service, "", string(encoded)}}, string(encoded)},
		{"missing", nil, ""},
		{"same user, other service", []item{{otherService, "", "other service's secret"}}, ""},
		{"same service, other user", []item{{Service, "-other", "other user's secret"}}, ""},
		{"same user in two services", []item{{otherService, "", "other service's secret"}, {Service, "", "ours"}}, "ours"},
		{"JSON with unicode and escapes", []item{{Service, "", unicodeJSON}}, unicodeJSON},
		{"overwritten by a second Set", []item{{Service, "", "first"}, {Service, "", "second"}}, "second"},
		{"largest entry the keyring takes", []item{{Service, "", strings.Repeat("x", maxKeyringSecret)}}, strings.Repeat("x", maxKeyringSecret)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user := uniqueKey(t).ID
			for _, it := range tt.items {
				t.Cleanup(func() { gokeyring.Delete(it.service, user+it.userSuffix) })
				if err := gokeyring.Set(it.service, user+it.userSuffix, it.secret); err != nil {
					t.Fatal(err)
				}
			}

			// The fast path alone, without its go-keyring fallback.
			fast, fastErr := secretServiceRead(Service, user)
			got, err := secretServiceGet(Service, user)
			gk, gkErr := gokeyring.Get(Service, user)
			for _, r := range []struct {
				what string
				v    string
				err  error
			}{{"secretServiceRead", fast, fastErr}, {"secretServiceGet", got, err}, {"gokeyring.Get", gk, gkErr}} {
				switch {
				case tt.want == "" && !errors.Is(r.err, gokeyring.ErrNotFound):
					t.Errorf("%s = %.40q, %v; want ErrNotFound", r.what, r.v, r.err)
				case tt.want != "" && (r.err != nil || r.v != tt.want):
					t.Errorf("%s = %.40q (%d bytes), %v; want %.40q (%d bytes)", r.what, r.v, len(r.v), r.err, tt.want, len(tt.want))
				}
			}
		})
	}
}

// TestSecretServiceGetThroughStore: the store maps secretServiceGet's
// answers as it maps go-keyring's.
func TestSecretServiceGetThroughStore(t *testing.T) {
	requireSecretService(t)
	s, _ := openStore(t, "keyring", cacheDir(t))
	k := uniqueKey(t)
	if _, err := s.Get(k); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get of a missing item = %v, want ErrNotFound", err)
	}
	t.Cleanup(func() { gokeyring.Delete(otherService, k.ID) })
	if err := gokeyring.Set(otherService, k.ID, string(mustEncode(t, entry(secret)))); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(k); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get with only another service's item = %v, want ErrNotFound", err)
	}
	if err := gokeyring.Set(Service, k.ID, string(mustEncode(t, entry(secret)))); err != nil {
		t.Fatal(err)
	}
	if e, err := s.Get(k); err != nil || e.Token.Reveal() != secret {
		t.Fatalf("Get = %v, %v", e, err)
	}
}

func mustEncode(t *testing.T, e Entry) []byte {
	t.Helper()
	b, err := Encode(e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
