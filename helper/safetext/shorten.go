package safetext

import (
	"strings"
	"unicode/utf8"
)

// Shorten returns s in at most limit bytes without losing either end of what
// it shortens: text of at most limit bytes passes whole; longer text first loses the
// middle of each of its long words (an ARN keeps its service and region and
// its resource, a URL its scheme and last path segment), then, if that is
// not enough, the middle of the whole text. A shortened place reads "…".
// It escapes nothing: Line does.
func Shorten(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	// Long words lose as little as needed: the limit on a word tightens
	// step by step until the text fits or words are down to minWord.
	for word := limit; word > minWord; word = word * 3 / 4 {
		if short := shortenWords(s, word); len(short) <= limit {
			return short
		}
	}
	return Middle(shortenWords(s, minWord), limit)
}

// minWord is as short as Shorten makes a word: enough of an ARN to tell
// the service and region, and of its end to tell the resource.
const minWord = 24

// Middle shortens s to at most limit bytes by replacing its middle with "…",
// keeping both ends and never splitting a UTF-8 sequence.
func Middle(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	keep := limit - len(ellipsis)
	if keep < 2 { // no room for both ends
		return Cut(s, max(keep, 0))
	}
	// A rune is at most utf8.UTFMax bytes: look no further for its start,
	// so bytes that are not UTF-8 at all are cut like any others.
	head := keep - keep/2
	for i := 0; i < utf8.UTFMax-1 && head > 0 && !utf8.RuneStart(s[head]); i++ {
		head--
	}
	tail := len(s) - keep/2
	for i := 0; i < utf8.UTFMax-1 && tail < len(s) && !utf8.RuneStart(s[tail]); i++ {
		tail++
	}
	return s[:head] + ellipsis + s[tail:]
}

// shortenWords shortens every space-separated word of s longer than word
// bytes in its middle.
func shortenWords(s string, word int) string {
	fields := strings.Split(s, " ")
	for i, f := range fields {
		fields[i] = Middle(f, word)
	}
	return strings.Join(fields, " ")
}
