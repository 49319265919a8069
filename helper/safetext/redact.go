package safetext

import "strings"

// Redacted replaces what URL hides.
const Redacted = "REDACTED"

// URL hides the secrets a URL can carry when it is printed: the userinfo
// (user:password@ becomes REDACTED@), every query value (?X-Amz-Signature=…
// becomes ?X-Amz-Signature=REDACTED; a bare item becomes REDACTED) and the
// fragment. Scheme, host, port and path stay, so the message still says
// where. A URL without secrets comes back unchanged, byte for byte, which is
// why this works on the text rather than on a parsed and re-encoded URL.
func URL(u string) string {
	start := 0
	if i := strings.Index(u, "://"); i >= 0 {
		start = i + 3
	}
	end := len(u)
	if i := strings.IndexAny(u[start:], "/?#"); i >= 0 {
		end = start + i
	}
	authority := u[start:end]
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		authority = Redacted + authority[at:]
	}
	rest, frag, hasFrag := strings.Cut(u[end:], "#")
	path, query, hasQuery := strings.Cut(rest, "?")
	var b strings.Builder
	b.WriteString(u[:start] + authority + path)
	if hasQuery {
		b.WriteByte('?')
		b.WriteString(redactQuery(query))
	}
	if hasFrag {
		b.WriteByte('#')
		if frag != "" {
			b.WriteString(Redacted)
		}
	}
	return b.String()
}

// redactQuery keeps the keys of a query and its separators, and hides every
// value.
func redactQuery(q string) string {
	var b strings.Builder
	for q != "" {
		item, sep := q, ""
		if j := strings.IndexAny(q, "&;"); j >= 0 {
			item, sep = q[:j], q[j:j+1]
		}
		q = q[len(item)+len(sep):]
		if key, value, ok := strings.Cut(item, "="); ok {
			b.WriteString(key + "=")
			if value != "" {
				b.WriteString(Redacted)
			}
		} else if item != "" {
			b.WriteString(Redacted)
		}
		b.WriteString(sep)
	}
	return b.String()
}

// Redact applies URL to every URL inside s: each scheme://… up to a space, a
// quote, a bracket of <>, a backquote or a control character, less one
// punctuation mark that ends a sentence or a clause. An error message of another
// library that quotes the URL it failed on is covered this way.
func Redact(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "://")
		if i < 0 {
			break
		}
		start := schemeStart(s, i)
		if start == i { // "://" without a scheme: not a URL
			b.WriteString(s[:i+3])
			s = s[i+3:]
			continue
		}
		end := len(s)
		if j := strings.IndexFunc(s[i+3:], endsURL); j >= 0 {
			end = i + 3 + j
		}
		if end > i+3 && strings.IndexByte(".,:;!?)]}", s[end-1]) >= 0 {
			end-- // punctuation of the sentence, not of the URL; one at most, so a value of punctuation stays hidden
		}
		b.WriteString(s[:start])
		b.WriteString(URL(s[start:end]))
		s = s[end:]
	}
	b.WriteString(s)
	return b.String()
}

// schemeStart walks back from the "://" at i over the letters, digits, '+',
// '-' and '.' of a scheme, which starts with a letter; i when there is none.
func schemeStart(s string, i int) int {
	start := i
	for start > 0 && isSchemeByte(s[start-1]) {
		start--
	}
	for start < i && !isLetter(s[start]) {
		start++
	}
	return start
}

func isSchemeByte(c byte) bool {
	return isLetter(c) || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func endsURL(r rune) bool {
	return r <= ' ' || r == 0x7f || strings.ContainsRune("\"'<>`", r) || isControl(r)
}
