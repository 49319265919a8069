//go:build linux

package secretservice

// Get against a real gnome-keyring: it must find exactly the items go-keyring
// writes and return what go-keyring's Get returns. Run as the Secret Service
// tests of package keyring (recipe at the top of its secretservice_test.go):
// ./test.sh does it.

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/test/testenv"
	gokeyring "github.com/zalando/go-keyring"
)

const (
	// service is the one package keyring stores its entries under
	// (keyring.Service).
	service = "ca-helper"
	// otherService stores items these tests must not read.
	otherService = "ca-helper-test-other"
	// maxKeyringSecret is the largest value package keyring puts in the
	// Secret Service (its maxKeyringItem on D-Bus platforms).
	maxKeyringSecret = 8 << 10
)

// encoded is keyring.Encode of an entry with a 1500-byte token, the size of
// a real CodeArtifact token.
var encoded = `{"v":1,"token":"` + strings.Repeat("t", 1500) +
	`","expiration":"2026-05-20T22:00:00Z","fetched":"2026-05-20T10:00:00Z"}`

// uniqueUser returns a user name no other test run uses, and deletes its
// item afterwards.
func uniqueUser(t *testing.T) string {
	user := fmt.Sprintf("test-%d-%d", os.Getpid(), time.Now().UnixNano())
	t.Cleanup(func() { gokeyring.Delete(service, user) })
	return user
}

func TestGetReadsGoKeyringItems(t *testing.T) {
	testenv.SecretService(t)
	const unicodeJSON = `{"v":1,"token":"tök€n ✓ 🔑 \"q\" \\ \u00e9","note":"line\nbreak\ttab"}`
	type item struct{ service, userSuffix, secret string }
	tests := []struct {
		name  string
		items []item // written with go-keyring; userSuffix is appended to the test's user
		want  string // "" means ErrNotFound
	}{
		{"entry written by go-keyring", []item{{service, "", encoded}}, encoded},
		{"missing", nil, ""},
		{"same user, other service", []item{{otherService, "", "other service's secret"}}, ""},
		{"same service, other user", []item{{service, "-other", "other user's secret"}}, ""},
		{"same user in two services", []item{{otherService, "", "other service's secret"}, {service, "", "ours"}}, "ours"},
		{"JSON with unicode and escapes", []item{{service, "", unicodeJSON}}, unicodeJSON},
		{"overwritten by a second Set", []item{{service, "", "first"}, {service, "", "second"}}, "second"},
		{"largest entry the keyring takes", []item{{service, "", strings.Repeat("x", maxKeyringSecret)}}, strings.Repeat("x", maxKeyringSecret)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user := uniqueUser(t)
			for _, it := range tt.items {
				t.Cleanup(func() { gokeyring.Delete(it.service, user+it.userSuffix) })
				if err := gokeyring.Set(it.service, user+it.userSuffix, it.secret); err != nil {
					t.Fatal(err)
				}
			}

			// The fast path alone, without its go-keyring fallback.
			fast, fastErr := read(service, user)
			got, err := Get(service, user)
			gk, gkErr := gokeyring.Get(service, user)
			for _, r := range []struct {
				what string
				v    string
				err  error
			}{{"read", fast, fastErr}, {"Get", got, err}, {"gokeyring.Get", gk, gkErr}} {
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

// TestUsersListsGoKeyringItems: Users finds every item go-keyring stored
// under a service, and nothing of another service. The service is the
// test's own, so items other tests store meanwhile do not count.
func TestUsersListsGoKeyringItems(t *testing.T) {
	testenv.SecretService(t)
	svc := fmt.Sprintf("ca-helper-test-users-%d-%d", os.Getpid(), time.Now().UnixNano())
	if got, err := Users(svc); err != nil || len(got) != 0 {
		t.Fatalf("Users of an unused service = %q, %v; want none", got, err)
	}
	want := []string{"a-first", "b-second", "c-third"}
	for _, u := range want {
		t.Cleanup(func() { gokeyring.Delete(svc, u) })
		if err := gokeyring.Set(svc, u, encoded); err != nil {
			t.Fatal(err)
		}
	}
	other := uniqueUser(t)
	t.Cleanup(func() { gokeyring.Delete(otherService, other) })
	if err := gokeyring.Set(otherService, other, "other service's secret"); err != nil {
		t.Fatal(err)
	}
	if err := gokeyring.Set(svc, want[0], "overwritten"); err != nil { // still one item
		t.Fatal(err)
	}
	got, err := Users(svc)
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("Users = %q, %v; want %q", got, err, want)
	}
	if err := gokeyring.DeleteAll(svc); err != nil {
		t.Fatal(err)
	}
	if got, err := Users(svc); err != nil || len(got) != 0 {
		t.Errorf("Users after go-keyring's DeleteAll = %q, %v; want none", got, err)
	}
}
