package tools

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// INI files (pip.conf, .pypirc) as Python's configparser reads them with
// its defaults, which pip and twine use: `[section]` headers, `key = value`
// or `key: value` (the first = or : ends the key, lowercased), whole-line
// comments starting with # or ; (no inline comments: `a = b # c` is the
// value "b # c"), and continuation lines: a line indented deeper than the
// option line it follows continues its value, even after blank and comment
// lines.
//
// parseINI accepts the files configparser reads without an error and
// refuses, with ErrMalformed, what it would reject or what a line-based
// merge cannot edit safely: a key before any section, a line with no = or
// :, an empty key, a section or a key in a section twice, a control
// character, and a CR that does not end a line (Python splits lines there,
// ca-helper would not).

type iniKind int

const (
	iniBlank   iniKind = iota // empty or whitespace only
	iniComment                // # or ; after optional whitespace
	iniSection                // [name]
	iniOption                 // key = value
	iniCont                   // continues the value of the option line opt
)

// iniLine is one line of an INI file and what configparser makes of it.
type iniLine struct {
	text    string // the line as in the file, its ending included
	body    string // without the ending
	kind    iniKind
	section string // the section it is in; for a header, its name
	key     string // option and continuation lines: the option's key, lowercased
	value   string // option: the value on its line; continuation: the line, both stripped
	opt     int    // continuation lines: the index of their option line
}

// iniFile is a parsed file: its lines, and each section's options with
// their values as configparser joins them (continuations on lines of
// their own, trailing empty lines dropped).
type iniFile struct {
	lines  []iniLine
	values map[string]map[string]string
}

func parseINI(s string) (*iniFile, error) {
	f := &iniFile{values: map[string]map[string]string{}}
	section, inSection := "", false
	opt := -1        // the index of the option line values continue, -1 for none
	indentLevel := 0 // configparser's indent_level
	parts := map[int][]string{}
	for n, text := range splitLines(s) {
		body := strings.TrimSuffix(strings.TrimSuffix(text, "\n"), "\r")
		if err := checkINILine(body); err != nil {
			return nil, fmt.Errorf("%w: line %d %v", ErrMalformed, n+1, err)
		}
		l := iniLine{text: text, body: body, section: section, opt: -1}
		stripped := strings.TrimFunc(body, unicode.IsSpace)
		indent := utf8.RuneCountInString(leading(body)) // Python counts characters
		switch {
		case stripped == "":
			l.kind = iniBlank
			if opt >= 0 {
				parts[opt] = append(parts[opt], "")
			}
		case stripped[0] == '#' || stripped[0] == ';':
			l.kind = iniComment
		case opt >= 0 && indent > indentLevel:
			l.kind, l.key, l.value, l.opt = iniCont, f.lines[opt].key, stripped, opt
			parts[opt] = append(parts[opt], stripped)
		default:
			indentLevel = indent
			if end := strings.LastIndexByte(stripped, ']'); stripped[0] == '[' && end >= 2 {
				section, inSection, opt = stripped[1:end], true, -1
				if _, dup := f.values[section]; dup {
					return nil, fmt.Errorf("%w: line %d: section [%s] is in the file twice", ErrMalformed, n+1, section)
				}
				f.values[section] = map[string]string{}
				l.kind, l.section = iniSection, section
				break
			}
			if !inSection {
				return nil, fmt.Errorf("%w: line %d is not in a [section]", ErrMalformed, n+1)
			}
			i := strings.IndexAny(stripped, "=:")
			if i < 0 {
				return nil, fmt.Errorf("%w: line %d in [%s] is not a key = value line", ErrMalformed, n+1, section)
			}
			key := strings.ToLower(strings.TrimRightFunc(stripped[:i], unicode.IsSpace))
			if key == "" {
				return nil, fmt.Errorf("%w: line %d in [%s] has no key", ErrMalformed, n+1, section)
			}
			if _, dup := f.values[section][key]; dup {
				return nil, fmt.Errorf("%w: line %d: %s is set twice in [%s]", ErrMalformed, n+1, key, section)
			}
			l.kind, l.key, l.value = iniOption, key, strings.TrimFunc(stripped[i+1:], unicode.IsSpace)
			f.values[section][key] = ""
			opt = len(f.lines)
			parts[opt] = []string{l.value}
		}
		f.lines = append(f.lines, l)
	}
	for i, p := range parts {
		l := f.lines[i]
		f.values[l.section][l.key] = strings.TrimRightFunc(strings.Join(p, "\n"), unicode.IsSpace)
	}
	return f, nil
}

// checkINILine refuses what Python and ca-helper would split differently,
// or that has no place in a config file: control characters, and a CR
// anywhere but before the LF.
func checkINILine(body string) error {
	for _, c := range body {
		switch {
		case c == '\r':
			return fmt.Errorf("has a CR that does not end it")
		case c == '\t':
		case c < ' ' || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == '\u2028' || c == '\u2029':
			return fmt.Errorf("has the control character %U", c)
		}
	}
	return nil
}

// items is the index after the last option or continuation line of the
// section whose header is at line h: where a new key goes.
func (f *iniFile) items(h int) int {
	end := h + 1
	for i := h + 1; i < len(f.lines) && f.lines[i].kind != iniSection; i++ {
		if k := f.lines[i].kind; k == iniOption || k == iniCont {
			end = i + 1
		}
	}
	return end
}

// conts are the indexes of the continuation lines of the option at line o.
func (f *iniFile) conts(o int) []int {
	var c []int
	for i := o + 1; i < len(f.lines) && f.lines[i].kind != iniSection; i++ {
		if f.lines[i].opt == o {
			c = append(c, i)
		} else if f.lines[i].kind == iniOption {
			break
		}
	}
	return c
}

// leading is the whitespace a line starts with.
func leading(s string) string { return s[:len(s)-len(strings.TrimLeftFunc(s, unicode.IsSpace))] }

// iniValueOK reports whether v can be a value setup writes: printable,
// without whitespace, so that it reads back the same.
func iniValueOK(v string) bool {
	for _, c := range v {
		if unicode.IsSpace(c) || !unicode.IsPrint(c) {
			return false
		}
	}
	return v != ""
}

// verify parses the merged file: it must be the existing one with only the
// managed keys changed, hold them as setup wants, and keep a list's items.
func (m iniMerge) verify(before *iniFile, out string) error {
	unsafe := fmt.Errorf("%w: ca-helper cannot edit it safely (an indented line next to a line it changes?): edit it by hand", ErrMalformed)
	after, err := parseINI(out)
	if err != nil {
		return unsafe
	}
	for s, vals := range after.values {
		if _, ok := before.values[s]; !ok && m.find(s) == nil {
			return unsafe
		}
		for k, v := range vals {
			if old, ok := before.values[s][k]; !m.managedIn(s, k) && (!ok || old != v) {
				return unsafe
			}
		}
	}
	for s, vals := range before.values {
		for k := range vals {
			if _, ok := after.values[s][k]; !ok && !m.managedIn(s, k) {
				return unsafe
			}
		}
	}
	for _, w := range m.want {
		for _, k := range w.keys {
			old, _ := lookupINI(before, m.norm, w.name, k.key)
			v, ok := lookupINI(after, m.norm, w.name, k.key)
			switch {
			case ok == k.remove, k.list == nil && !k.remove && v != k.value:
				return unsafe
			case k.list != nil:
				for _, item := range append(strings.Fields(old), k.value) {
					if !slices.Contains(strings.Fields(v), item) {
						return unsafe
					}
				}
			}
		}
	}
	return nil
}

// find is the wanted section named section, nil for another.
func (m iniMerge) find(section string) *iniWant {
	i := slices.IndexFunc(m.want, func(w iniWant) bool { return m.norm(w.name) == m.norm(section) })
	if i < 0 {
		return nil
	}
	return &m.want[i]
}

// managedIn reports whether key is managed in section.
func (m iniMerge) managedIn(section, key string) bool {
	w := m.find(section)
	return w != nil && slices.ContainsFunc(w.keys, func(k iniKey) bool { return m.norm(k.key) == m.norm(key) })
}

// lookupINI is the value of key in section, names matched by norm.
func lookupINI(f *iniFile, norm func(string) string, section, key string) (string, bool) {
	for s, vals := range f.values {
		for k, v := range vals {
			if norm(s) == norm(section) && norm(k) == norm(key) {
				return v, true
			}
		}
	}
	return "", false
}
