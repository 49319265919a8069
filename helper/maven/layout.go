package maven

import (
	"bytes"
	"sort"
	"strings"
)

// layout is how the existing document is written: its line break and the
// indent of one level, so new elements look like their neighbours.
type layout struct {
	src  []byte
	nl   string
	unit string
}

func newLayout(src []byte, root *node) layout {
	l := layout{src: src, nl: "\n", unit: "  "}
	if bytes.Contains(src, []byte("\r\n")) {
		l.nl = "\r\n"
	}
	if u := l.detectUnit(root); u != "" {
		l.unit = u
	}
	return l
}

// lineIndent returns the blanks between the start of off's line and off, and
// whether only blanks precede off on that line.
func (l layout) lineIndent(off int) (string, bool) {
	i := off
	for i > 0 && (l.src[i-1] == ' ' || l.src[i-1] == '\t') {
		i--
	}
	if i > 0 && l.src[i-1] != '\n' && l.src[i-1] != '\r' {
		return "", false
	}
	return string(l.src[i:off]), true
}

// indentOf is the indent of n's line, or fallback when n does not start its line.
func (l layout) indentOf(n *node, fallback string) string {
	if ind, ok := l.lineIndent(n.start); ok {
		return ind
	}
	return fallback
}

// childIndent is the indent for a new child of n (whose own indent is ind):
// that of its first child on a line of its own, else one level deeper.
func (l layout) childIndent(n *node, ind string) string {
	for _, c := range n.children {
		if ci, ok := l.lineIndent(c.start); ok {
			return ci
		}
	}
	return ind + l.unit
}

// detectUnit finds one indent level: first from the children of <settings>,
// else from the first parent and child that both start their own lines. The
// order matters: Merge only adds elements that repeat the level found here, so
// running it again finds the same level and writes the same bytes.
func (l layout) detectUnit(root *node) string {
	if u := l.step(root, root.children); u != "" {
		return u
	}
	var walk func(n *node) string
	walk = func(n *node) string {
		for _, c := range n.children {
			if u := l.step(n, []*node{c}); u != "" {
				return u
			}
			if u := walk(c); u != "" {
				return u
			}
		}
		return ""
	}
	return walk(root)
}

// step is the extra indent of the first of children that is indented deeper
// than parent, both on lines of their own; "" if none is.
func (l layout) step(parent *node, children []*node) string {
	pi, ok := l.lineIndent(parent.start)
	if !ok {
		return ""
	}
	for _, c := range children {
		if ci, ok := l.lineIndent(c.start); ok && len(ci) > len(pi) && strings.HasPrefix(ci, pi) {
			return ci[len(pi):]
		}
	}
	return ""
}

// edit replaces src[start:end] with text; start == end inserts.
type edit struct {
	start, end int
	text       string
}

// apply makes the edits, which must not overlap. Inserts at one offset keep
// the order they were added in.
func apply(src []byte, edits []edit) []byte {
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	var b bytes.Buffer
	prev := 0
	for _, e := range edits {
		b.Write(src[prev:e.start])
		b.WriteString(e.text)
		prev = e.end
	}
	b.Write(src[prev:])
	return b.Bytes()
}

// appendInto inserts text as the last content of n, before the blanks that
// precede its end tag, and puts the end tag on a line of its own (indent ind).
// An empty <x/> becomes <x>text</x>.
func (l layout) appendInto(n *node, ind, text string) edit {
	if n.empty() {
		return edit{n.open - 2, n.open, ">" + text + l.nl + ind + "</" + n.name + ">"}
	}
	pos := n.close
	for pos > n.open && isSpace(l.src[pos-1]) {
		pos--
	}
	if !bytes.ContainsAny(l.src[pos:n.close], "\r\n") {
		text += l.nl + ind
	}
	return edit{pos, pos, text}
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }
