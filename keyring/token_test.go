package keyring

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

const secret = "eyJ2ZXIiOjEsImlzdSI6MTcwMDAwMDAwMH0.SECRET-token_value"

var (
	t0      = time.Date(2026, 5, 20, 10, 0, 0, 0, time.UTC)
	testKey = Key{ID: "my-domain-111122223333.eu-west-1", Label: "CodeArtifact token my-domain-111122223333 (eu-west-1)"}
)

func entry(tok string) Entry {
	return Entry{Token: Token(tok), Expiration: t0.Add(12 * time.Hour), Fetched: t0}
}

func TestTokenRedaction(t *testing.T) {
	tok := Token(secret)
	holder := struct {
		T Token
		E Entry
		P *Token
	}{tok, entry(secret), &tok}
	for _, format := range []string{"%v", "%s", "%q", "%#v", "%+v", "%x", "%X", "%d", "%10.3s"} {
		for name, arg := range map[string]any{"token": tok, "holder": holder, "entry": entry(secret)} {
			if out := fmt.Sprintf(format, arg); strings.Contains(out, "SECRET") || !strings.Contains(out, "redacted") {
				t.Errorf("Sprintf(%q, %s) = %q", format, name, out)
			}
		}
	}
	for name, v := range map[string]any{"holder": holder, "entry": entry(secret), "slice": []Token{tok}} {
		b, err := json.Marshal(v)
		if err != nil || strings.Contains(string(b), "SECRET") || !strings.Contains(string(b), `"[redacted]"`) {
			t.Errorf("json.Marshal(%s) = %s, %v", name, b, err)
		}
	}
	if tok.Reveal() != secret {
		t.Errorf("Reveal() = %q", tok.Reveal())
	}
}

func TestEncodeExactFormat(t *testing.T) {
	e := Entry{
		Token:      Token("a.b-c_d~e+f/g="),
		Expiration: time.Date(2026, 5, 20, 22, 0, 0, 999, time.FixedZone("CEST", 7200)),
		Fetched:    time.Date(2026, 5, 20, 12, 0, 0, 0, time.UTC),
	}
	b, err := Encode(e)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"v":1,"token":"a.b-c_d~e+f/g=","expiration":"2026-05-20T20:00:00Z","fetched":"2026-05-20T12:00:00Z"}`
	if string(b) != want {
		t.Errorf("Encode = %s\nwant     %s", b, want)
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	long := strings.Repeat("x", 1600)
	for _, tok := range []string{secret, long, "a", "every.token_char~+/=-"} {
		e := entry(tok)
		b, err := Encode(e)
		if err != nil {
			t.Fatalf("Encode: %v", err)
		}
		got, err := Decode(b)
		if err != nil {
			t.Fatalf("Decode(Encode(%.10q)): %v", tok, err)
		}
		if got.Token.Reveal() != tok || !got.Expiration.Equal(e.Expiration) || !got.Fetched.Equal(e.Fetched) {
			t.Errorf("round trip of %.10q: got %+v", tok, got)
		}
	}
}

func TestEncodeRejects(t *testing.T) {
	for name, e := range map[string]Entry{
		"empty token":   entry(""),
		"newline":       entry("abc\ndef"),
		"space":         entry("abc def"),
		"invalid utf-8": entry("abc\xff"),
		"html":          entry("a<b>&c"),
		"quote":         entry(`with"quote`),
		"backslash":     entry(`back\slash`),
		"non-ascii":     entry("tök3n"),
		"no expiration": {Token: "abc", Fetched: t0},
		"no fetched":    {Token: "abc", Expiration: t0},
	} {
		if _, err := Encode(e); err == nil {
			t.Errorf("Encode(%s) succeeded", name)
		}
	}
}

func TestDecodeCorrupt(t *testing.T) {
	good, _ := Encode(entry(secret))
	tests := map[string]string{
		"empty":              "",
		"bad json":           "{not json",
		"null":               "null",
		"array":              "[1]",
		"truncated":          string(good[:len(good)-5]),
		"trailing data":      string(good) + "{}",
		"version 2":          `{"v":2,"token":"abc","expiration":"2026-05-20T20:00:00Z","fetched":"2026-05-20T12:00:00Z"}`,
		"version string":     `{"v":"1","token":"abc","expiration":"2026-05-20T20:00:00Z","fetched":"2026-05-20T12:00:00Z"}`,
		"missing version":    `{"token":"abc","expiration":"2026-05-20T20:00:00Z","fetched":"2026-05-20T12:00:00Z"}`,
		"missing token":      `{"v":1,"expiration":"2026-05-20T20:00:00Z","fetched":"2026-05-20T12:00:00Z"}`,
		"empty token":        `{"v":1,"token":"","expiration":"2026-05-20T20:00:00Z","fetched":"2026-05-20T12:00:00Z"}`,
		"null token":         `{"v":1,"token":null,"expiration":"2026-05-20T20:00:00Z","fetched":"2026-05-20T12:00:00Z"}`,
		"missing expiration": `{"v":1,"token":"abc","fetched":"2026-05-20T12:00:00Z"}`,
		"empty expiration":   `{"v":1,"token":"abc","expiration":"","fetched":"2026-05-20T12:00:00Z"}`,
		"bad expiration":     `{"v":1,"token":"abc","expiration":"tomorrow","fetched":"2026-05-20T12:00:00Z"}`,
		"epoch expiration":   `{"v":1,"token":"abc","expiration":1780000000,"fetched":"2026-05-20T12:00:00Z"}`,
		"missing fetched":    `{"v":1,"token":"abc","expiration":"2026-05-20T20:00:00Z"}`,
		"bad fetched":        `{"v":1,"token":"abc","expiration":"2026-05-20T20:00:00Z","fetched":"2026-13-20T12:00:00Z"}`,
		"control char":       `{"v":1,"token":"ab\u001bc","expiration":"2026-05-20T20:00:00Z","fetched":"2026-05-20T12:00:00Z"}`,
		"newline in token":   `{"v":1,"token":"ab\nc","expiration":"2026-05-20T20:00:00Z","fetched":"2026-05-20T12:00:00Z"}`,
		"DEL in token":       `{"v":1,"token":"ab\u007fc","expiration":"2026-05-20T20:00:00Z","fetched":"2026-05-20T12:00:00Z"}`,
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Decode([]byte(in))
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Decode(%q) error = %v, want ErrCorrupt", in, err)
			}
			if strings.Contains(err.Error(), "abc") {
				t.Errorf("error quotes the token: %v", err)
			}
		})
	}
}

func TestFreshValid(t *testing.T) {
	e := Entry{Token: "x", Expiration: t0, Fetched: t0.Add(-12 * time.Hour)}
	tests := []struct {
		name   string
		now    time.Time
		minTTL time.Duration
		fresh  bool
		valid  bool
	}{
		{"long before", t0.Add(-2 * time.Hour), time.Hour, true, true},
		{"exactly min-ttl left", t0.Add(-time.Hour), time.Hour, true, true},
		{"one second short of min-ttl", t0.Add(-time.Hour + time.Second), time.Hour, false, true},
		{"one nanosecond short", t0.Add(-time.Hour + 1), time.Hour, false, true},
		{"zero min-ttl, still valid", t0.Add(-time.Second), 0, true, true},
		{"zero min-ttl at expiry", t0, 0, false, false},
		{"negative min-ttl after expiry", t0.Add(time.Second), -time.Hour, false, false},
		{"after expiry", t0.Add(time.Hour), time.Hour, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := e.Fresh(tt.now, tt.minTTL); got != tt.fresh {
				t.Errorf("Fresh = %v, want %v", got, tt.fresh)
			}
			if got := e.Valid(tt.now); got != tt.valid {
				t.Errorf("Valid = %v, want %v", got, tt.valid)
			}
		})
	}
}

// The ID of a key becomes a file name and a keyring attribute: Validate
// refuses anything that could escape the cache dir or clash with its files.
// (Keys are made by tokens.CacheKey, which its own tests check.)
func TestKeyValidate(t *testing.T) {
	if err := (Key{ID: "my-domain_111122223333_eu-west-1_default_0123456789ab"}).Validate(); err != nil {
		t.Errorf("a cache key was refused: %v", err)
	}
	for _, id := range []string{"", ".", "..", "../x", "a/b", `a\b`, "A", "index", ".hidden", strings.Repeat("a", 121), "a b"} {
		if (Key{ID: id}).Validate() == nil {
			t.Errorf("Validate(%q) accepted", id)
		}
	}
}

func FuzzDecode(f *testing.F) {
	good, _ := Encode(entry(secret))
	f.Add(good)
	f.Add([]byte(`{"v":1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := Decode(b)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Decode error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		again, err := Encode(e)
		if err != nil {
			t.Fatalf("Encode(Decode(%q)): %v", b, err)
		}
		if _, err := Decode(again); err != nil {
			t.Fatalf("Decode(Encode(Decode(%q))): %v", b, err)
		}
	})
}
