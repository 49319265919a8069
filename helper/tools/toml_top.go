package tools

import (
	"reflect"
	"strings"
)

// topKey is one top-level key of a TOML file, such as uv.toml's
// keyring-provider: a key before the file's first table header. value is
// the value in TOML ("\"subprocess\""). With remove, the key must not be
// there with that value; a key with another value is the user's and is
// left alone.
type topKey struct {
	key, value string
	remove     bool
}

// mergeTopKey is the line-based merge of one top-level key. A key already
// there is changed in place (or dropped); a new one goes after the last
// top-level key, else before the first table header and the comment lines
// just above it, else at the end of a file without tables. Every other
// line is kept byte for byte, and both files are parsed to prove that
// only the key changed.
func mergeTopKey(existing []byte, k topKey, eol string) ([]byte, []Change, error) {
	lines := splitLines(string(existing))
	first := len(lines) // the first table header
	found, lastKey := -1, -1
	for i, line := range lines {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "[") {
			first = i
			break
		}
		key, _, ok := strings.Cut(trimmed, "=")
		if trimmed == "" || strings.HasPrefix(trimmed, "#") || !ok {
			continue
		}
		lastKey = i
		if normKey(key) == k.key {
			found = i
		}
	}
	line := k.key + " = " + k.value
	var changes []Change
	switch {
	case found >= 0:
		body := strings.TrimRight(lines[found], "\r\n")
		_, value, _ := strings.Cut(body, "=")
		same := strings.TrimSpace(stripComment(value)) == k.value
		switch {
		case k.remove && same:
			changes = append(changes, Change{Old: strings.TrimSpace(body)})
			lines = append(lines[:found], lines[found+1:]...)
			if found < len(lines) && blank(lines[found]) && (found == 0 || blank(lines[found-1])) {
				lines = append(lines[:found], lines[found+1:]...) // the blank line an insert added
			}
		case !k.remove && !same:
			changes = append(changes, Change{Old: strings.TrimSpace(body), New: line})
			lines[found] = line + lines[found][len(body):]
		}
	case k.remove:
	case lastKey >= 0:
		if !strings.HasSuffix(lines[lastKey], "\n") {
			lines[lastKey] += eol
		}
		lines = insertLines(lines, lastKey+1, line+eol)
		changes = append(changes, Change{New: line})
	case first < len(lines):
		at := first
		for at > 0 && strings.HasPrefix(strings.TrimSpace(lines[at-1]), "#") {
			at-- // a comment just above the header belongs to it
		}
		lines = insertLines(lines, at, line+eol, eol)
		changes = append(changes, Change{New: line})
	default:
		if n := len(lines); n > 0 && !strings.HasSuffix(lines[n-1], "\n") {
			lines[n-1] += eol
		}
		lines = append(lines, line+eol)
		changes = append(changes, Change{New: line})
	}
	out := []byte(strings.Join(lines, ""))
	if err := checkTopKey(existing, out, k); err != nil {
		return nil, nil, err
	}
	return out, changes, nil
}

func blank(line string) bool { return strings.TrimSpace(line) == "" }

func insertLines(lines []string, at int, add ...string) []string {
	return append(lines[:at], append(add, lines[at:]...)...)
}

// checkTopKey: the merged file must be the existing one with only the
// top-level key set, or dropped.
func checkTopKey(existing, out []byte, k topKey) error {
	want, err := tomlValue(k.key, k.value)
	if err != nil {
		return err
	}
	return checkTOMLEdit(existing, out, k.key, func(before map[string]any) error {
		switch {
		case !k.remove:
			before[k.key] = want
		case reflect.DeepEqual(before[k.key], want):
			delete(before, k.key)
		}
		return nil
	})
}
