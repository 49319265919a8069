package tools

import (
	"fmt"
	"strings"
)

// yamlLines reads the subset of YAML that setup edits in place: block
// mappings of `key: value` lines, indented with spaces, whose values are
// plain, 'single-' or "double-quoted" one-line scalars. Only the mappings
// on the way to a managed key are read this strictly; any other key's
// value (a sequence, a block scalar, a flow mapping) is skipped by its
// indentation and kept byte for byte. Tabs, document markers and
// directives are refused anywhere, and so is anything but a plain mapping
// entry on the way to a managed key (flow mappings, anchors, aliases,
// tags, block scalars, sequences, explicit or merge keys).
type yamlLines struct {
	lines []string
	nodes []*yamlNode // every mapping entry read, in file order
}

// yamlNode is one `key: value` line of a mapping read strictly.
type yamlNode struct {
	path     []string // the keys from the top, unquoted
	key      string   // the key as written, quotes and all
	value    string   // the raw value after `:`, comment and spaces dropped
	line     int      // its index in lines
	indent   int
	children int // the indentation of its children; -1 while it has none
	end      int // the index after its last line, its subtree's included
}

// descend tells the scanner which entries it reads strictly: those whose
// parent path it returns true for.
type descend func(parent []string) bool

func scanYAML(text string, strict descend) (*yamlLines, error) {
	y := &yamlLines{lines: splitLines(text)}
	root := &yamlNode{indent: -1, children: -1}
	stack := []*yamlNode{root}
	for i, line := range y.lines {
		body := strings.TrimRight(line, "\r\n")
		trimmed := strings.TrimLeft(body, " ")
		switch {
		case strings.HasPrefix(trimmed, "#"):
			continue
		case strings.ContainsRune(body, '\t'):
			return nil, fmt.Errorf("%w: line %d holds a tab, which ca-helper does not edit: indent with spaces", ErrMalformed, i+1)
		case strings.TrimSpace(trimmed) == "":
			continue
		case strings.HasPrefix(body, "---") || strings.HasPrefix(body, "...") || strings.HasPrefix(body, "%"):
			return nil, fmt.Errorf("%w: line %d is a YAML document marker or directive: ca-helper edits a single plain document", ErrMalformed, i+1)
		}
		indent := len(body) - len(trimmed)
		for top := stack[len(stack)-1]; indent < top.indent || indent == top.indent &&
			!(top.value == "" && (trimmed == "-" || strings.HasPrefix(trimmed, "- "))); top = stack[len(stack)-1] {
			stack = stack[:len(stack)-1] // a sequence may sit at its key's indentation
		}
		for _, n := range stack {
			n.end = i + 1
		}
		parent := stack[len(stack)-1]
		if !strict(parent.path) {
			continue // inside another key's value: kept as it is
		}
		if parent.children < 0 {
			if parent == root && indent != 0 {
				return nil, fmt.Errorf("%w: line %d: the top-level keys must start in the first column", ErrMalformed, i+1)
			}
			parent.children = indent
		} else if indent != parent.children {
			return nil, fmt.Errorf("%w: line %d is indented unlike the keys before it", ErrMalformed, i+1)
		}
		key, value, err := yamlEntry(trimmed)
		if err != nil {
			return nil, fmt.Errorf("%w: line %d: %v", ErrMalformed, i+1, err)
		}
		name, ok := yamlScalar(key)
		if !ok {
			return nil, fmt.Errorf("%w: line %d: key %s is not a plain or quoted name", ErrMalformed, i+1, key)
		}
		n := &yamlNode{path: append(append([]string(nil), parent.path...), name), key: key, value: value,
			line: i, indent: indent, children: -1, end: i + 1}
		y.nodes = append(y.nodes, n)
		stack = append(stack, n)
	}
	return y, nil
}

// yamlEntry splits `key: value # comment` into the key as written and the
// value without the comment.
func yamlEntry(s string) (key, value string, err error) {
	if strings.ContainsRune("-?:,[]{}#&*!|<>%@`", rune(s[0])) {
		return "", "", fmt.Errorf("%q is not a plain `key: value` entry", s)
	}
	end := 0
	if s[0] == '"' || s[0] == '\'' {
		if end = quotedEnd(s); end < 0 {
			return "", "", fmt.Errorf("unterminated quoted key in %q", s)
		}
	}
	colon := -1
	for j := end; j < len(s); j++ {
		if s[j] == ':' && (j+1 == len(s) || s[j+1] == ' ') {
			colon = j
			break
		}
		if s[j] == '#' && j > 0 && s[j-1] == ' ' {
			break
		}
	}
	if colon < 0 {
		return "", "", fmt.Errorf("%q is not a `key: value` entry", s)
	}
	key, rest := strings.TrimRight(s[:colon], " "), strings.TrimLeft(s[colon+1:], " ")
	switch {
	case rest == "" || rest[0] == '#':
		return key, "", nil
	case rest[0] == '"' || rest[0] == '\'':
		end := quotedEnd(rest)
		if end < 0 {
			return "", "", fmt.Errorf("the value of %s is not a one-line quoted string", key)
		}
		if tail := strings.TrimLeft(rest[end:], " "); tail != "" && tail[0] != '#' {
			return "", "", fmt.Errorf("text after the quoted value of %s", key)
		}
		return key, rest[:end], nil
	}
	if i := strings.Index(rest, " #"); i >= 0 {
		rest = rest[:i]
	}
	return key, strings.TrimRight(rest, " "), nil
}

// quotedEnd is the index after the quoted scalar s starts with, or -1.
func quotedEnd(s string) int {
	q := s[0]
	for j := 1; j < len(s); j++ {
		switch {
		case q == '"' && s[j] == '\\':
			j++
		case s[j] == q && q == '\'' && j+1 < len(s) && s[j+1] == '\'':
			j++
		case s[j] == q:
			return j + 1
		}
	}
	return -1
}

// yamlScalar is the string a one-line scalar stands for; false for what
// this subset does not read: flow collections, anchors, aliases, tags,
// block scalars and escapes.
func yamlScalar(v string) (string, bool) {
	switch {
	case v == "":
		return "", true
	case v[0] == '"' || v[0] == '\'':
		if quotedEnd(v) != len(v) {
			return "", false
		}
		inner := v[1 : len(v)-1]
		if v[0] == '\'' {
			return strings.ReplaceAll(inner, "''", "'"), true
		}
		return inner, !strings.ContainsRune(inner, '\\')
	case strings.ContainsRune("[]{}&*!|>%@`,", rune(v[0])):
		return "", false
	}
	return v, true
}

// yamlQuote is s double-quoted; s holds no " or \ (the callers check).
func yamlQuote(s string) string { return `"` + s + `"` }

func (t *yarnTree) render(b *strings.Builder, indent int, eol string) {
	b.WriteString(strings.Repeat(" ", indent) + t.key + ":")
	if t.value != "" {
		b.WriteString(" " + t.value)
	}
	b.WriteString(eol)
	for _, k := range t.kids {
		k.render(b, indent+2, eol)
	}
}

// yarnKeyText is name as a key: plain when it is a name, quoted otherwise
// (a registry's "//HOST/PATH/").
func yarnKeyText(name string) string {
	if name != "" && (name[0] >= 'a' && name[0] <= 'z' || name[0] >= 'A' && name[0] <= 'Z') && !strings.ContainsAny(name, ":/#") {
		return name
	}
	return yamlQuote(name)
}

func showPath(p []string) string {
	parts := make([]string, len(p))
	for i, s := range p {
		parts[i] = yarnKeyText(s)
	}
	return strings.Join(parts, ".")
}
