package tools

import (
	"fmt"
	"strings"
)

// tomlEntry is one managed key of an array-of-tables entry, with its value
// already in TOML: "\"text\"" for a string, "true" for a boolean.
type tomlEntry struct{ key, value string }

// arrayMerge is a line-based merge of one entry of a TOML array of tables
// ([[index]] in uv.toml, [[tool.poetry.source]] in pyproject.toml): the
// entry whose name is name gets the managed keys, or is appended when no
// entry has that name. Lines it does not manage are kept byte for byte,
// and checkArrayResult parses both files to prove nothing else changed.
type arrayMerge struct {
	header string // the array's dotted key, as in [[header]]
	name   string
	want   []tomlEntry
	eol    string
	rep    Report
}

func (m *arrayMerge) merge(existing string) ([]byte, error) {
	lines := splitLines(existing)
	start, end, err := m.findEntry(lines)
	if err != nil {
		return nil, err
	}
	if start < 0 {
		return []byte(strings.Join(m.appendEntry(lines), "")), nil
	}
	seen := map[string]bool{}
	insertAt := start + 1 // after the entry's last key line
	for i := start + 1; i < end; i++ {
		body := strings.TrimRight(lines[i], "\r\n")
		trimmed := strings.TrimSpace(body)
		key, value, ok := strings.Cut(body, "=")
		if trimmed == "" || strings.HasPrefix(trimmed, "#") || !ok {
			continue
		}
		insertAt = i + 1
		w := m.wanted(normKey(key))
		if w == nil {
			continue
		}
		if seen[w.key] {
			return nil, fmt.Errorf("%w: %s is set twice in the [[%s]] named %q", ErrMalformed, w.key, m.header, m.name)
		}
		seen[w.key] = true
		if strings.TrimSpace(stripComment(value)) == w.value {
			continue
		}
		shown := trimmed
		if hasPassword(stripComment(value)) {
			m.rep.LiteralToken, shown = true, w.key+" = [redacted]"
		}
		m.rep.Changes = append(m.rep.Changes, Change{Old: shown, New: w.key + " = " + w.value})
		lines[i] = w.key + " = " + w.value + lines[i][len(body):]
	}
	var added []string
	for _, w := range m.want {
		if !seen[w.key] {
			added = append(added, w.key+" = "+w.value+m.eol)
			m.rep.Changes = append(m.rep.Changes, Change{New: w.key + " = " + w.value})
		}
	}
	if len(added) > 0 && !strings.HasSuffix(lines[insertAt-1], "\n") {
		lines[insertAt-1] += m.eol
	}
	lines = append(lines[:insertAt], append(added, lines[insertAt:]...)...)
	return []byte(strings.Join(lines, "")), nil
}

// findEntry returns the lines [start, end) of the entry named m.name,
// header line first; start is -1 when there is none.
func (m *arrayMerge) findEntry(lines []string) (start, end int, err error) {
	start, end = -1, len(lines)
	for i, line := range lines {
		trimmed := strings.TrimSpace(line)
		if !strings.HasPrefix(trimmed, "[") {
			continue
		}
		if start >= 0 && end == len(lines) {
			end = i // the next header ends the entry
		}
		if !strings.HasPrefix(trimmed, "[[") || normKey(strings.Trim(stripComment(trimmed), "[] \t")) != m.header {
			continue
		}
		if name, ok := m.entryName(lines[i+1:]); ok && name == m.name {
			if start >= 0 {
				return 0, 0, fmt.Errorf("%w: two [[%s]] are named %q", ErrMalformed, m.header, m.name)
			}
			start, end = i, len(lines)
		}
	}
	return start, end, nil
}

// entryName is the name key of the entry whose lines (after its header)
// are given.
func (m *arrayMerge) entryName(lines []string) (string, bool) {
	for _, line := range lines {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "[") {
			return "", false
		}
		if key, value, ok := strings.Cut(trimmed, "="); ok && normKey(key) == "name" {
			return tomlString(value)
		}
	}
	return "", false
}

func (m *arrayMerge) wanted(key string) *tomlEntry {
	for i := range m.want {
		if m.want[i].key == key {
			return &m.want[i]
		}
	}
	return nil
}

// appendEntry adds a new entry at the end of the file, after a blank line.
func (m *arrayMerge) appendEntry(lines []string) []string {
	if n := len(lines); n > 0 {
		if !strings.HasSuffix(lines[n-1], "\n") {
			lines[n-1] += m.eol
		}
		if strings.TrimSpace(lines[n-1]) != "" {
			lines = append(lines, m.eol)
		}
	}
	entry := []string{"[[" + m.header + "]]", `name = "` + m.name + `"`}
	for _, w := range m.want {
		entry = append(entry, w.key+" = "+w.value)
	}
	for _, l := range entry {
		lines = append(lines, l+m.eol)
		m.rep.Changes = append(m.rep.Changes, Change{New: l})
	}
	return lines
}

// stripComment is a value without a # comment after it; a # inside a
// quoted string is kept (values ca-helper writes have no quotes inside).
func stripComment(v string) string {
	quote := byte(0)
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
		case quote == 0 && c == '#':
			return v[:i]
		}
	}
	return v
}

// checkArrayResult: the merged file must be the existing one with the
// named entry's managed keys set, or the entry appended.
func checkArrayResult(existing, out []byte, m *arrayMerge) error {
	want := map[string]any{}
	for _, w := range m.want {
		v, err := tomlValue(w.key, w.value)
		if err != nil {
			return err
		}
		want[w.key] = v
	}
	return checkTOMLEdit(existing, out, "[["+m.header+"]]", func(before map[string]any) error {
		if err := setEntry(before, strings.Split(m.header, "."), m.name, want); err != nil {
			return fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		return nil
	})
}

// setEntry sets keys in the entry named name of the array at path in doc,
// appending the entry when there is none: what the merge must have done.
func setEntry(doc map[string]any, path []string, name string, keys map[string]any) error {
	for _, p := range path[:len(path)-1] {
		next, ok := doc[p].(map[string]any)
		if !ok && doc[p] != nil {
			return fmt.Errorf("%s is not a table", p)
		}
		if next == nil {
			next = map[string]any{}
			doc[p] = next
		}
		doc = next
	}
	last := path[len(path)-1]
	entries, ok := doc[last].([]map[string]any)
	if !ok && doc[last] != nil {
		return fmt.Errorf("%s is not an array of tables", last)
	}
	for _, e := range entries {
		if e["name"] == name {
			for k, v := range keys {
				e[k] = v
			}
			return nil
		}
	}
	entry := map[string]any{"name": name}
	for k, v := range keys {
		entry[k] = v
	}
	doc[last] = append(entries, entry)
	return nil
}
