package safetext

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

var seeds = []string{
	"plain", "\x1b]0;owned\x07\x1b[2K", "\u202e\u2066\u2069\u200e\u200f", "\x9b\xff\xe2\x80",
	"https://u:p@h/?X-Amz-Signature=s#f", "a://b://c?d", "é\ttab\nnl", strings.Repeat("\x1b", MaxLine),
}

// unsafeRune names the first rune of s a terminal would act on, keeping
// newlines when lines are allowed.
func unsafeRune(s string, lines bool) (rune, bool) {
	for i, r := range s {
		if r == utf8.RuneError && !strings.HasPrefix(s[i:], "\ufffd") {
			return r, true
		}
		if isControl(r) && !(lines && r == '\n') {
			return r, true
		}
	}
	return 0, false
}

func FuzzLine(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Line(s)
		if r, bad := unsafeRune(got, false); bad {
			t.Fatalf("Line(%q) = %q keeps %U", s, got, r)
		}
		if len(got) > MaxLine {
			t.Fatalf("Line(%q) is %d bytes", s, len(got))
		}
		if again := Line(got); len(got) < MaxLine-len(Redacted) && again != got {
			t.Fatalf("Line is not idempotent: %q, then %q", got, again)
		}
		if _, bad := unsafeRune(s, false); !bad && len(s) <= MaxLine && !strings.Contains(s, "://") && got != s {
			t.Fatalf("Line changed clean text %q to %q", s, got)
		}
	})
}

func FuzzRedact(f *testing.F) {
	for _, s := range seeds {
		f.Add(s, "SECRET")
	}
	f.Fuzz(func(t *testing.T, s, secret string) {
		if len(secret) < 4 || strings.ContainsAny(secret, "@/?#&;= \"'<>`\\%") || strings.Contains(secret, Redacted) {
			return
		}
		for _, u := range []string{"https://u:" + secret + "@h/", "http://h/?sig=" + secret, "http://h/p?a=1&" + secret} {
			text := s + " " + u + " " + s
			if strings.Contains(s, secret) || strings.ContainsFunc(secret, endsURL) {
				return
			}
			if got := Redact(text); strings.Contains(got, secret) {
				t.Fatalf("Redact(%q) = %q keeps the secret", text, got)
			}
		}
	})
}

func FuzzWriter(f *testing.F) {
	for _, s := range seeds {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, chunk int) {
		if chunk <= 0 {
			chunk = 1
		}
		var out bytes.Buffer
		w := NewWriter(&out)
		for p := []byte(s); len(p) > 0; {
			n := min(chunk, len(p))
			w.Write(p[:n])
			p = p[n:]
		}
		got := out.String()
		if r, bad := unsafeRune(got, true); bad {
			t.Fatalf("Writer turned %q into %q, keeping %U", s, got, r)
		}
		if strings.Count(got, "\n") != strings.Count(s, "\n") {
			t.Fatalf("Writer changed the lines of %q: %q", s, got)
		}
		for _, line := range strings.Split(got, "\n") {
			if len(line) > MaxLine {
				t.Fatalf("a line of %d bytes", len(line))
			}
		}
	})
}
