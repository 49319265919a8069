package safetext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestShorten(t *testing.T) {
	const arn = "arn:aws:codeartifact:us-east-1:111122223333:repository/a-long-domain-name-for-a-team/and-its-repository-name"
	msg := "User: arn:aws:sts::111122223333:assumed-role/dev/jane is not authorized to perform: " +
		"codeartifact:GetAuthorizationToken on resource: " + arn + " because no identity-based policy allows it"
	tests := []struct {
		name, in  string
		max       int
		want      string   // "" to check only keep and len
		keep      []string // pieces that must survive
		wantShort bool     // the result must show "…"
	}{
		{name: "fits", in: "short", max: 10, want: "short"},
		{name: "exactly fits", in: "abcdef", max: 6, want: "abcdef"},
		{name: "one word loses its middle", in: "abcdefghijklmnopqrstuvwxyz0123456789", max: 30, want: "abcdefghijklmn…xyz0123456789", wantShort: true},
		{name: "an ARN keeps both ends", in: msg, max: 240, wantShort: true,
			keep: []string{"User: arn:aws:sts::", "on resource: arn:aws:codeartifact:us-e", "/and-its-repository-name", "allows it"}},
		{name: "short words stay whole", in: msg, max: 240, wantShort: true,
			keep: []string{"is not authorized to perform: codeartifact:GetAuthorizationToken on resource:"}},
		{name: "no word long enough: the middle of the text goes", in: strings.Repeat("word ", 100), max: 50, wantShort: true,
			keep: []string{"word word", "word word "}},
		{name: "runes stay whole", in: strings.Repeat("é", 100), max: 21, wantShort: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Shorten(tt.in, tt.max)
			if tt.want != "" && got != tt.want {
				t.Errorf("Shorten = %q, want %q", got, tt.want)
			}
			if len(got) > tt.max || !utf8.ValidString(got) {
				t.Errorf("Shorten gave %d bytes (valid UTF-8 %v), max %d: %q", len(got), utf8.ValidString(got), tt.max, got)
			}
			if tt.wantShort != strings.Contains(got, "…") {
				t.Errorf("Shorten(%q) = %q; shortened: %v, want %v", tt.in, got, !tt.wantShort, tt.wantShort)
			}
			if tt.wantShort && (got[:2] != tt.in[:2] || got[len(got)-2:] != tt.in[len(tt.in)-2:]) {
				t.Errorf("Shorten = %q lost an end of %q", got, tt.in)
			}
			for _, k := range tt.keep {
				if !strings.Contains(got, k) {
					t.Errorf("Shorten = %q lost %q", got, k)
				}
			}
		})
	}
}

func TestMiddle(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"abcdefghij", 9, "abc…hij"},
		{"abcdefghij", 8, "abc…ij"},
		{"aébcdefgh", 7, "a…gh"},  // never half a rune at the head
		{"abcdefgéh", 8, "abc…h"}, // nor at the tail
		{"abcdef", 4, "a…"},       // no room for both ends

	}
	for _, tt := range tests {
		if got := Middle(tt.in, tt.max); got != tt.want {
			t.Errorf("Middle(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func FuzzShorten(f *testing.F) {
	for _, s := range []string{"", "abc def", strings.Repeat("arn:aws:x ", 40), strings.Repeat("é", 90), "a\xffb c"} {
		f.Add(s, 40)
	}
	f.Fuzz(func(t *testing.T, s string, limit int) {
		if limit < 8 || limit > 1<<12 {
			return
		}
		got := Shorten(s, limit)
		if len(got) > limit {
			t.Fatalf("Shorten(%q, %d) = %q is %d bytes", s, limit, got, len(got))
		}
		if len(s) <= limit && got != s {
			t.Fatalf("Shorten changed %q, which fits, to %q", s, got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("Shorten(%q) = %q split a rune", s, got)
		}
		if len(s) > limit && limit >= 16 && !strings.HasPrefix(s, got[:1]) { // room for a whole rune at each end
			t.Fatalf("Shorten(%q) = %q lost the start", s, got)
		}
	})
}
