package target

// configDepth reports the first line of data that nests deeper than
// maxConfigDepth, or 0. It reads TOML just far enough to skip strings and
// comments: every '[' or '{' outside them opens a level, every ']' or '}'
// closes one, and the dots of one key or header are levels too. It runs
// before the parser, whose time grows with the square of the depth.
func configDepth(data []byte) int {
	var (
		line, depth, dots = 1, 0, 0
		quote             string // the delimiter of the open string, "" outside one
	)
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c == '\n' {
			line++
		}
		if quote != "" {
			i, quote = skipInString(data, i, quote)
			continue
		}
		switch c {
		case '"', '\'':
			quote = string(c)
			if i+2 < len(data) && data[i+1] == c && data[i+2] == c {
				quote, i = string([]byte{c, c, c}), i+2
			}
		case '#':
			for i+1 < len(data) && data[i+1] != '\n' {
				i++
			}
		case '[', '{':
			depth, dots = depth+1, 0
		case ']', '}':
			depth, dots = max(depth-1, 0), 0
		case '.':
			dots++
		case '=', ',', '\n':
			dots = 0
		}
		if depth > maxConfigDepth || dots >= maxConfigDepth {
			return line
		}
	}
	return 0
}

// skipInString handles byte i inside a string opened by quote and returns
// where to go on from and the string still open ("" once it closed).
// Single-line strings end at a newline too: the parser rejects them there.
func skipInString(data []byte, i int, quote string) (int, string) {
	c := data[i]
	switch {
	case c == '\\' && quote[0] == '"':
		if i+1 < len(data) && data[i+1] != '\n' {
			i++ // an escaped character; a line-ending backslash keeps the newline counted
		}
	case c == '\n' && len(quote) == 1:
		return i, ""
	case c == quote[0] && string(data[i:min(i+len(quote), len(data))]) == quote:
		return i + len(quote) - 1, ""
	}
	return i, quote
}
