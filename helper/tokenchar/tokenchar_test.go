package tokenchar_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ca-helper/ca-helper/helper/awsproc"
	"github.com/ca-helper/ca-helper/helper/tokenchar"
)

// alphabet is the accepted set spelled out, so that the tests do not check
// Char against itself.
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~+/=-"

// tcase is one token: valid is what tokenchar.Valid must say, java what the
// extension must say about `ca-helper get` printing it.
type tcase struct {
	name  string
	tok   string
	valid bool
	java  bool
}

// cases is the table both Go and Java are checked against: every ASCII
// character inside a token, then the shapes that matter on their own.
func cases() []tcase {
	var cs []tcase
	for c := rune(0); c < utf8.RuneSelf; c++ {
		ok := strings.ContainsRune(alphabet, c)
		cs = append(cs, tcase{name: fmt.Sprintf("%U %q", c, c), tok: "eyJ" + string(c) + "x0", valid: ok, java: ok})
	}
	same := func(name, tok string, ok bool) tcase { return tcase{name, tok, ok, ok} }
	return append(cs,
		same("jwe-like token", "eyJ2ZXIiOjEsImlzdSI6MTcwMDAwMDAwMH0.eyJlbmMiOiJBMTI4R0NNIn0.SECRET-token_value", true),
		same("every token character", alphabet, true),
		same("one letter", "a", true),
		same("padding only", "==", true),
		same("punctuation only", "._~+/=-", true),
		same("empty", "", false),
		same("space only", " ", false),
		same("leading space", " abc", false),
		same("trailing space", "abc ", false),
		same("trailing newline", "abc\n", false),
		same("trailing crlf", "abc\r\n", false),
		same("two lines", "abc\ndef", false),
		same("leading NUL", "\x00abc", false),
		same("non-ascii letter", "tök3n", false),
		same("euro sign", "abc€", false),
		same("fullwidth A", "abc\uff21", false),
		same("unicode hyphen", "abc\u2010def", false),
		same("next line (C1 control)", "abc\u0085def", false),
		same("zero-width space", "abc\u200bdef", false),
		same("byte order mark", "\ufeffabc", false),
		same("line separator", "abc\u2028def", false),
		same("invalid utf-8", "abc\xffdef", false),
		same("lone utf-8 continuation byte", "abc\x80", false),
		same("at the length limit", strings.Repeat("A", awsproc.MaxTokenLen), true),
		// Valid leaves the length to its callers (checkFetched refuses more
		// than awsproc.MaxTokenLen); the extension's MAX_TOKEN is the same limit.
		tcase{"one byte over the length limit", strings.Repeat("A", awsproc.MaxTokenLen+1), true, false},
		tcase{"bad character past the length limit", strings.Repeat("A", awsproc.MaxTokenLen) + " ", false, false},
	)
}

func TestValid(t *testing.T) {
	for _, c := range cases() {
		if got := tokenchar.Valid(c.tok); got != c.valid {
			t.Errorf("%s: Valid(%.40q) = %v, want %v", c.name, c.tok, got, c.valid)
		}
	}
}

// TestCharIsExactlyTheAlphabet checks every rune, so that widening the set by
// one character (or one Unicode look-alike) fails.
func TestCharIsExactlyTheAlphabet(t *testing.T) {
	for c := rune(0); c <= utf8.MaxRune; c++ {
		if got, want := tokenchar.Char(c), strings.ContainsRune(alphabet, c); got != want {
			t.Errorf("Char(%U) = %v, want %v", c, got, want)
		}
	}
}
