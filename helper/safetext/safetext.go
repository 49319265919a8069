// Package safetext is the one place where text ca-helper did not write
// itself becomes printable: a service's message, a config value, a file's
// content, an environment variable, a URL. Everything ca-helper prints about
// such text goes through Line (a value inside a message) or through a Writer
// (every line ca-helper writes to stderr, whatever formatted it).
//
// The guarantee: what comes out holds no rune a terminal acts on instead of
// showing (C0 controls, tab and newline included, DEL, C1 controls, invalid
// UTF-8, Unicode format controls such as the bidi overrides U+202E and
// U+2066–U+2069, and the line and paragraph separators). Each is replaced by
// a visible escape: \x1b for a byte below 0x80 or one that is not UTF-8,
// \u202e for any other rune. URLs in the text lose their user:password and
// their query and fragment values (see URL). A line longer than MaxLine bytes
// loses its middle, shown as "…", so both its ends stay (see Shorten). Text
// without any of these passes through byte for byte.
package safetext

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxLine bounds one printed line, in bytes; real messages are far shorter.
const MaxLine = 4096

const ellipsis = "…"

// Line returns s fit to print inside one line: every terminal control made
// visible, URL secrets redacted, at most MaxLine bytes, its middle dropped
// when it is longer.
func Line(s string) string {
	if len(s) > maxEscape { // not a message: keep its start, as a bound
		return Cut(Redact(escape(s[:maxEscape])), MaxLine-len(ellipsis))
	}
	return Middle(Redact(escape(s)), MaxLine)
}

// maxEscape is the longest text Line escapes whole. Dropping the middle of
// longer text would mean cutting it before Redact sees it, and a cut inside a
// URL could leave part of its user:password where the tail starts.
const maxEscape = 64 * MaxLine

// Cut shortens s to at most max bytes, ending in "…" when it cuts, and never
// inside a UTF-8 sequence. It does not escape anything: Line does.
func Cut(s string, max int) string {
	if len(s) <= max {
		return s
	}
	end := max
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	return s[:end] + ellipsis
}

// escape replaces every terminal control in s by its visible escape. The
// escapes are made before URLs are looked for, so a control inside a URL
// cannot end it early and leave the rest of its secret unredacted.
func escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		piece, size := visible(s[i:])
		if b.Len() == 0 && len(piece) == size {
			i += size // clean so far: copy nothing until there is a reason to
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s) + 16)
			b.WriteString(s[:i])
		}
		b.WriteString(piece)
		i += size
	}
	if b.Len() == 0 {
		return s
	}
	return b.String()
}

// visible returns the first rune of s as it is printed, and its size in s.
func visible(s string) (string, int) {
	r, size := utf8.DecodeRuneInString(s)
	switch {
	case r == utf8.RuneError && size <= 1:
		return fmt.Sprintf(`\x%02x`, s[0]), 1
	case !isControl(r):
		return s[:size], size
	case r < utf8.RuneSelf:
		return fmt.Sprintf(`\x%02x`, r), size
	case r <= 0xffff:
		return fmt.Sprintf(`\u%04x`, r), size
	}
	return fmt.Sprintf(`\U%08x`, r), size
}

// isControl reports whether a terminal may act on r rather than show it.
func isControl(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return true
	case r == '\u2028', r == '\u2029': // line and paragraph separators
		return true
	}
	return unicode.Is(unicode.Cf, r) // bidi embeddings, overrides and isolates, zero-width marks
}
