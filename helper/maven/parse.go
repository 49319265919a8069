package maven

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// node is one element of a parsed document with the byte offsets Merge splices
// at. Offsets index the original bytes, so untouched parts are copied verbatim.
type node struct {
	name     string // local name; a prefixed element keeps "p:name" and so never matches
	start    int    // '<' of the start tag
	open     int    // just after the start tag
	close    int    // '<' of the end tag; == open for <x/>
	end      int    // just after the end tag
	text     []byte // character data directly inside (CDATA included, comments not)
	children []*node
}

// empty reports an element written as <x/>.
func (n *node) empty() bool { return n.close == n.end }

// childrenNamed returns the direct children called name, in document order.
func (n *node) childrenNamed(name string) []*node {
	var out []*node
	for _, c := range n.children {
		if c.name == name {
			out = append(out, c)
		}
	}
	return out
}

// childText is the trimmed text of the first child called name, "" if none.
func (n *node) childText(name string) string {
	for _, c := range n.children {
		if c.name == name {
			return string(bytes.TrimSpace(c.text))
		}
	}
	return ""
}

// parse tokenizes data and returns its root element. It checks what the
// tokenizer alone does not: matching end tags, a single root, no stray text.
func parse(data []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var stack []*node
	var root *node
	for {
		off := int(d.InputOffset())
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, syntaxErr(data, off, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: rawName(t.Name), start: off, open: int(d.InputOffset())}
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.children = append(top.children, n)
			} else if root != nil {
				return nil, invalidAt(data, off, "more than one root element")
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			name := rawName(t.Name)
			if len(stack) == 0 {
				return nil, invalidAt(data, off, fmt.Sprintf("unexpected end element </%s>", name))
			}
			n := stack[len(stack)-1]
			if name != n.name {
				return nil, invalidAt(data, off, fmt.Sprintf("element <%s> closed by </%s>", n.name, name))
			}
			n.close, n.end = off, int(d.InputOffset())
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.text = append(top.text, t...)
				break
			}
			if off == 0 {
				t = bytes.TrimPrefix(t, bom)
			}
			if len(bytes.TrimSpace(t)) > 0 {
				return nil, invalidAt(data, off, "text outside the root element")
			}
		}
	}
	if len(stack) > 0 {
		return nil, invalidAt(data, len(data), fmt.Sprintf("unexpected end of file: <%s> is not closed", stack[len(stack)-1].name))
	}
	if root == nil {
		return nil, invalidAt(data, len(data), "no root element")
	}
	return root, nil
}

// bom is the byte order mark a UTF-8 file may start with.
var bom = []byte("\uFEFF")

func rawName(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

// syntaxErr wraps a tokenizer error in ErrInvalid, with its line when it has one.
func syntaxErr(data []byte, off int, err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("%w: line %d: %s", ErrInvalid, se.Line, se.Msg)
	}
	return fmt.Errorf("%w: line %d: %s", ErrInvalid, lineAt(data, off), strings.TrimPrefix(err.Error(), "xml: "))
}

func invalidAt(data []byte, off int, msg string) error {
	return fmt.Errorf("%w: line %d: %s", ErrInvalid, lineAt(data, off), msg)
}

// lineAt is the 1-based line of byte offset off.
func lineAt(data []byte, off int) int {
	return 1 + bytes.Count(data[:min(off, len(data))], []byte("\n"))
}

// child is the first direct child called name, or nil.
func (n *node) child(name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}
