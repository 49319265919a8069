package tools

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode"
)

// iniKey is a key setup manages in a section of an INI file.
type iniKey struct {
	key    string // as a new line writes it
	value  string // the value setup wants; for a list, the item it adds
	remove bool   // the key must not be there (twine's password)
	// list: the value is a whitespace-separated list, and value one item
	// of it; a new key holds these items, then value, one a line.
	list []string
	// secret reports whether an old value holds a credential: it is shown
	// as [redacted], and the merge reports a LiteralToken.
	secret func(old string) bool
}

// iniWant is a section and the keys setup manages in it.
type iniWant struct {
	name string
	keys []iniKey
}

// iniMerge is the line-based merge of managed keys into an INI file, the
// one pip.conf and .pypirc share. Lines it does not manage are kept byte
// for byte; a managed key is changed in place, keeping its spelling,
// indentation and delimiter; a missing key is added after the last key of
// its section, a missing section at the end of the file. It refuses (an
// error wrapping ErrMalformed) a file parseINI refuses, a managed key in
// [DEFAULT] (it would apply to every section), a managed section or key
// twice, a managed key whose value goes on over continuation lines (but
// for a list), a continuation line in a managed section that reads like a
// managed key, and any result that does not parse as the same file with
// only the managed keys changed. Errors never quote a value.
type iniMerge struct {
	want []iniWant
	norm func(string) string // how the tool matches section and key names
}

func (m iniMerge) merge(existing []byte) ([]byte, Report, error) {
	if err := CheckText(existing); err != nil {
		return nil, Report{}, err
	}
	f, err := parseINI(string(existing))
	if err != nil {
		return nil, Report{}, err
	}
	p := iniPlan{f: f, eol: "\n", edit: map[int]string{}, insert: map[int][]string{}}
	if strings.Contains(string(existing), "\r\n") {
		p.eol = "\r\n"
	}
	for i, l := range f.lines {
		if l.kind == iniCont {
			if err := m.checkCont(l, i); err != nil {
				return nil, Report{}, err
			}
		}
		if l.kind == iniOption && l.section == "DEFAULT" && m.managed(l.key) {
			return nil, Report{}, fmt.Errorf("%w: %s is set in [DEFAULT], where it applies to every section: edit it by hand", ErrMalformed, l.key)
		}
	}
	for _, w := range m.want {
		if err := m.section(&p, w); err != nil {
			return nil, Report{}, err
		}
	}
	out := p.build()
	if err := m.verify(f, out); err != nil {
		return nil, Report{}, err
	}
	return []byte(out), p.rep, nil
}

// managed reports whether key is managed in some section.
func (m iniMerge) managed(key string) bool {
	for _, w := range m.want {
		if slices.ContainsFunc(w.keys, func(k iniKey) bool { return m.norm(k.key) == m.norm(key) }) {
			return true
		}
	}
	return false
}

// iniPlan is what the merge does to the lines: replace (or, with "",
// drop) some, insert new ones before others.
type iniPlan struct {
	f      *iniFile
	eol    string
	edit   map[int]string
	insert map[int][]string // before line i; len(lines): at the end
	rep    Report
}

func (m iniMerge) section(p *iniPlan, w iniWant) error {
	f := p.f
	h := -1
	for i, l := range f.lines {
		if l.kind == iniSection && m.norm(l.section) == m.norm(w.name) {
			if h >= 0 {
				return fmt.Errorf("%w: [%s] is in the file twice, as [%s] and [%s]", ErrMalformed, w.name, f.lines[h].section, l.section)
			}
			h = i
		}
	}
	found := make([]int, len(w.keys))
	for i := range found {
		found[i] = -1
	}
	indent, at := "", len(f.lines)
	if h >= 0 {
		at = f.items(h)
		for i := h + 1; i < len(f.lines) && f.lines[i].kind != iniSection; i++ {
			l := f.lines[i]
			if l.kind != iniOption {
				continue
			}
			indent = leading(l.body)
			for j, k := range w.keys {
				if m.norm(k.key) != m.norm(l.key) {
					continue
				}
				if found[j] >= 0 {
					return fmt.Errorf("%w: %s is set twice in [%s]", ErrMalformed, k.key, l.section)
				}
				if k.list == nil && len(f.conts(i)) > 0 {
					return fmt.Errorf("%w: %s in [%s] goes on over indented lines: edit it by hand", ErrMalformed, l.key, l.section)
				}
				found[j] = i
			}
		}
	} else {
		p.newSection(w.name)
	}
	for j, k := range w.keys {
		if i := found[j]; i >= 0 {
			p.change(k, i)
			continue
		}
		if k.remove {
			continue
		}
		p.insert[at] = append(p.insert[at], k.lines(indent, p.eol)...)
		p.rep.Changes = append(p.rep.Changes, Change{New: k.key + " = " + strings.Join(k.items(), " ")})
	}
	return nil
}

// checkCont refuses a continuation line that reads like a managed section,
// or a managed key of its section: the user meant it to be one, and pip
// or twine do not read it so.
func (m iniMerge) checkCont(l iniLine, i int) error {
	k := l.value
	if e := strings.LastIndexByte(k, ']'); k[0] == '[' && e >= 2 {
		k = "[" + k[1:e] + "]"
	} else if d := strings.IndexAny(k, "=:"); d > 0 && m.find(l.section) != nil {
		k = strings.ToLower(strings.TrimSpace(k[:d]))
	}
	if m.managedIn(l.section, k) || slices.ContainsFunc(m.want, func(w iniWant) bool { return "["+m.norm(w.name)+"]" == m.norm(k) }) {
		return fmt.Errorf("%w: line %d in [%s] is indented, so it continues the line above and does not set %s: edit it by hand",
			ErrMalformed, i+1, l.section, k)
	}
	return nil
}

// newSection adds [name] at the end of the file, after an empty line.
func (p *iniPlan) newSection(name string) {
	n := len(p.f.lines)
	lines := []string{"[" + name + "]" + p.eol}
	if len(p.insert[n]) > 0 || n > 0 && p.f.lines[n-1].kind != iniBlank {
		lines = append([]string{p.eol}, lines...)
	}
	p.insert[n] = append(p.insert[n], lines...)
	p.rep.Changes = append(p.rep.Changes, Change{New: "[" + name + "]"})
}

// change sets the managed key k at line i as setup wants it.
func (p *iniPlan) change(k iniKey, i int) {
	l := p.f.lines[i]
	old := p.f.values[l.section][l.key]
	shown := l.key + " = " + old
	if k.secret != nil && k.secret(old) {
		p.rep.LiteralToken, shown = true, l.key+" = [redacted]"
	}
	ending := l.text[len(l.body):]
	switch {
	case k.remove:
		p.edit[i] = ""
		p.rep.Changes = append(p.rep.Changes, Change{Old: shown})
	case k.list != nil:
		items := strings.Fields(old)
		if slices.Contains(items, k.value) {
			return
		}
		if c := p.f.conts(i); len(c) > 0 {
			last := p.f.lines[c[len(c)-1]]
			p.insert[c[len(c)-1]+1] = append(p.insert[c[len(c)-1]+1], leading(last.body)+k.value+p.eol)
		} else {
			p.edit[i] = strings.TrimRightFunc(l.body, unicode.IsSpace) + " " + k.value + ending
		}
		p.rep.Changes = append(p.rep.Changes, Change{Old: l.key + " = " + strings.Join(items, " "),
			New: l.key + " = " + strings.Join(append(items, k.value), " ")})
	case old != k.value:
		d := strings.IndexAny(l.body, "=:") + 1
		for d < len(l.body) && (l.body[d] == ' ' || l.body[d] == '\t') {
			d++
		}
		p.edit[i] = l.body[:d] + k.value + ending
		p.rep.Changes = append(p.rep.Changes, Change{Old: shown, New: l.key + " = " + k.value})
	}
}

// items are the values of a new key: for a list, its items then value.
func (k iniKey) items() []string {
	if k.list == nil {
		return []string{k.value}
	}
	items := slices.Clone(k.list)
	if !slices.Contains(items, k.value) {
		items = append(items, k.value)
	}
	return items
}

// lines are the lines of a new key, its list items on continuation lines.
func (k iniKey) lines(indent, eol string) []string {
	if k.list == nil {
		return []string{indent + k.key + " = " + k.value + eol}
	}
	lines := []string{indent + k.key + " =" + eol}
	for _, item := range k.items() {
		lines = append(lines, indent+"    "+item+eol)
	}
	return lines
}

func (p *iniPlan) build() string {
	var b strings.Builder
	for i := 0; i <= len(p.f.lines); i++ {
		if ins := p.insert[i]; len(ins) > 0 {
			if s := b.String(); s != "" && !strings.HasSuffix(s, "\n") {
				b.WriteString(p.eol)
			}
			b.WriteString(strings.Join(ins, ""))
		}
		if i == len(p.f.lines) {
			break
		}
		if e, ok := p.edit[i]; ok {
			b.WriteString(e)
		} else {
			b.WriteString(p.f.lines[i].text)
		}
	}
	return b.String()
}

// urlCredentials reports whether a URL value holds a user or password: an
// index URL from `aws codeartifact login --tool pip` holds the token.
func urlCredentials(v string) bool {
	u, err := url.Parse(v)
	return err != nil && strings.Contains(v, "@") || err == nil && u.User != nil
}

func nonEmpty(v string) bool { return v != "" }
