package tools

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/BurntSushi/toml"
)

// tomlMerge is a line-based merge of managed keys into one [registries.NAME]
// table of a TOML file. It never re-serialises: lines it does not manage
// are kept byte for byte, and checkCargoResult parses the result to prove
// the merge changed nothing else.
type tomlMerge struct {
	name string
	want []managedLine
	eol  string
	rep  Report
}

func (m *tomlMerge) merge(existing string) ([]byte, error) {
	var out []string
	seen := map[string]bool{}
	section := ""  // the current table header, normalised; "" at top level
	found := false // [registries.NAME] is in the file
	insertAt := -1 // after the last key line of [registries.NAME]
	target := "registries." + m.name
	for _, line := range splitLines(existing) {
		body := strings.TrimRight(line, "\r\n")
		trimmed := strings.TrimSpace(body)
		switch {
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
		case strings.HasPrefix(trimmed, "[["):
			section = "[[" + normKey(strings.Trim(trimmed, "[] "))
		case strings.HasPrefix(trimmed, "["):
			end := strings.IndexByte(trimmed, ']')
			if end < 0 {
				return nil, fmt.Errorf("%w: table header %q has no ]", ErrMalformed, trimmed)
			}
			section = normKey(trimmed[1:end])
			if section == target {
				found, insertAt = true, len(out)+1
			}
		default:
			key, value, ok := strings.Cut(body, "=")
			if !ok {
				break
			}
			k := normKey(key)
			if full := joinKey(section, k); full == target || strings.HasPrefix(full, target+".") {
				if section != target {
					return nil, fmt.Errorf("%w: [%s] is written as dotted keys or an inline table, which ca-helper cannot edit safely: edit it by hand", ErrMalformed, target)
				}
			}
			if section != target {
				break
			}
			i := managedIndex(m.want, k)
			if i < 0 {
				insertAt = len(out) + 1
				break
			}
			want := m.want[i]
			if seen[want.key] {
				return nil, fmt.Errorf("%w: %s is set twice in [%s]", ErrMalformed, want.key, target)
			}
			seen[want.key] = true
			insertAt = len(out) + 1
			if old, ok := tomlString(value); ok && old == want.value {
				break
			}
			m.rep.Changes = append(m.rep.Changes, Change{Old: strings.TrimSpace(body), New: tomlLine(want)})
			line = tomlLine(want) + line[len(body):]
		}
		out = append(out, line)
	}
	var added []string
	if !found {
		added = append(added, "["+target+"]"+m.eol)
		m.rep.Changes = append(m.rep.Changes, Change{New: "[" + target + "]"})
		insertAt = len(out)
		if n := len(out); n > 0 && strings.TrimSpace(out[n-1]) != "" {
			added = append([]string{m.eol}, added...)
		}
	}
	for _, w := range m.want {
		if !seen[w.key] {
			added = append(added, tomlLine(w)+m.eol)
			m.rep.Changes = append(m.rep.Changes, Change{New: tomlLine(w)})
		}
	}
	if n := insertAt; len(added) > 0 && n > 0 && !strings.HasSuffix(out[n-1], "\n") {
		out[n-1] += m.eol
	}
	out = append(out[:insertAt], append(added, out[insertAt:]...)...)
	return []byte(strings.Join(out, "")), nil
}

func tomlLine(m managedLine) string { return m.key + " = \"" + m.value + "\"" }

// normKey is a dotted key without the spaces around its parts and the
// quotes of a quoted part that needs none.
func normKey(k string) string {
	parts := strings.Split(k, ".")
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if len(p) >= 2 && (p[0] == '"' || p[0] == '\'') && p[len(p)-1] == p[0] {
			p = p[1 : len(p)-1]
		}
		parts[i] = p
	}
	return strings.Join(parts, ".")
}

func joinKey(section, key string) string {
	if section == "" || strings.HasPrefix(section, "[[") {
		return key
	}
	return section + "." + key
}

// tomlString is the value of a one-line TOML string without escapes, with
// an optional comment after it.
func tomlString(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if len(v) < 2 || (v[0] != '"' && v[0] != '\'') {
		return "", false
	}
	end := strings.IndexByte(v[1:], v[0])
	if end < 0 || strings.ContainsRune(v[1:end+1], '\\') {
		return "", false
	}
	rest := strings.TrimSpace(v[end+2:])
	return v[1 : end+1], rest == "" || strings.HasPrefix(rest, "#")
}

// checkCargoResult: the merged file must be the existing one with the
// wanted keys set in [registries.NAME].
func checkCargoResult(existing, out []byte, name string, want []managedLine) error {
	return checkTOMLEdit(existing, out, "[registries."+name+"]", func(before map[string]any) error {
		regs, ok := before["registries"].(map[string]any)
		if !ok && before["registries"] != nil {
			return fmt.Errorf("%w: registries is not a table", ErrMalformed)
		}
		if regs == nil {
			regs = map[string]any{}
			before["registries"] = regs
		}
		reg, ok := regs[name].(map[string]any)
		if !ok && regs[name] != nil {
			return fmt.Errorf("%w: registries.%s is not a table", ErrMalformed, name)
		}
		if reg == nil {
			reg = map[string]any{}
			regs[name] = reg
		}
		for _, w := range want {
			reg[w.key] = w.value
		}
		return nil
	})
}

// checkTOMLEdit parses both files: out must be existing with edit applied
// and nothing else changed. what names the part the line merge edited. A
// file the merge misread (a multi-line string, say) is refused, not written.
func checkTOMLEdit(existing, out []byte, what string, edit func(before map[string]any) error) error {
	var before, after map[string]any
	if _, err := toml.Decode(string(existing), &before); err != nil {
		return fmt.Errorf("%w: not valid TOML: %v", ErrMalformed, err)
	}
	if before == nil {
		before = map[string]any{}
	}
	if _, err := toml.Decode(string(out), &after); err != nil {
		return fmt.Errorf("%w: %s is in a form ca-helper cannot edit safely (%v): edit it by hand", ErrMalformed, what, err)
	}
	if err := edit(before); err != nil {
		return err
	}
	if !reflect.DeepEqual(before, after) {
		return fmt.Errorf("%w: %s is in a form ca-helper cannot edit safely: edit it by hand", ErrMalformed, what)
	}
	return nil
}

// tomlValue is a value as TOML writes it ("\"text\"", "true"), decoded.
func tomlValue(key, raw string) (any, error) {
	var doc map[string]any
	if _, err := toml.Decode("v = "+raw, &doc); err != nil {
		return nil, fmt.Errorf("value of %s: %w", key, err)
	}
	return doc["v"], nil
}
