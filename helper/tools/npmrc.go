package tools

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// ErrMalformed marks a config file setup leaves alone.
var ErrMalformed = errors.New("not a text config file ca-helper can merge into")

// MaxConfigSize bounds a config file setup reads: real ones are a few
// hundred bytes.
const MaxConfigSize = 1 << 20

// npmrc is npm's .npmrc: ini lines `key=value`, read by npm before every
// command. setup manages two lines of it: the registry (for a scope, or the
// default one) and the repository's `//HOST/PATH/:_authToken=${VAR}`, whose
// ${VAR} npm takes from its environment at run time.
type npmrc struct{}

var _ ConfigFile = npmrc{}

func (npmrc) Path(home, project string) string {
	if project != "" {
		return filepath.Join(project, ".npmrc")
	}
	return filepath.Join(home, ".npmrc")
}

// managedLine is a key setup owns and the value it wants.
type managedLine struct {
	key, value string
	auth       bool // the value is a ${VAR}; anything else there is a token
}

func (npmrc) Merge(existing []byte, r Registry) ([]byte, Report, error) {
	if err := CheckText(existing); err != nil {
		return nil, Report{}, err
	}
	want, err := npmLines(r)
	if err != nil {
		return nil, Report{}, err
	}
	eol := "\n"
	if bytes.Contains(existing, []byte("\r\n")) {
		eol = "\r\n"
	}
	var out []string
	var rep Report
	seen := map[string]bool{}
	insertAt := -1 // before the first [section]: keys there are not top-level
	for _, line := range splitLines(string(existing)) {
		body := strings.TrimRight(line, "\r\n")
		if insertAt < 0 && strings.HasPrefix(strings.TrimSpace(body), "[") {
			insertAt = len(out)
		}
		key, value, ok := strings.Cut(body, "=")
		i := managedIndex(want, strings.TrimSpace(key))
		if insertAt >= 0 || !ok || i < 0 {
			out = append(out, line)
			continue
		}
		m, old := want[i], unquote(strings.TrimSpace(value))
		shown := m.key + "=" + old
		if m.auth && old != "" && !isVarRef(old) {
			rep.LiteralToken, shown = true, m.key+"=[redacted]"
		}
		switch {
		case seen[m.key]: // npm takes the last one: keep only ours
			rep.Changes = append(rep.Changes, Change{Old: shown})
		case old == m.value:
			out = append(out, line)
		default:
			rep.Changes = append(rep.Changes, Change{Old: shown, New: m.key + "=" + m.value})
			out = append(out, m.key+"="+m.value+line[len(body):])
		}
		seen[m.key] = true
	}
	var added []string
	for _, m := range want {
		if !seen[m.key] {
			added = append(added, m.key+"="+m.value+eol)
			rep.Changes = append(rep.Changes, Change{New: m.key + "=" + m.value})
		}
	}
	if insertAt < 0 {
		insertAt = len(out)
	}
	if n := insertAt; len(added) > 0 && n > 0 && !strings.HasSuffix(out[n-1], "\n") {
		out[n-1] += eol
	}
	out = append(out[:insertAt], append(added, out[insertAt:]...)...)
	return []byte(strings.Join(out, "")), rep, nil
}

// npmLines are the lines setup wants for r: the registry, then its token.
func npmLines(r Registry) ([]managedLine, error) {
	nerf, err := nerfDart(r.Endpoint)
	if err != nil {
		return nil, err
	}
	key := "registry"
	if r.Scope != "" {
		if !ValidScope(r.Scope) {
			return nil, fmt.Errorf("invalid npm scope %q: want @ and a lowercase name, such as @my-org", r.Scope)
		}
		key = r.Scope + ":registry"
	}
	return []managedLine{
		{key: key, value: r.Endpoint},
		{key: nerf + ":_authToken", value: "${" + r.EnvVar + "}", auth: true},
	}, nil
}

// nerfDart is the form npm keys a registry's credentials by: the URL
// without its scheme, "//HOST/PATH/". The endpoint is the service's answer:
// anything that could break out of its line is refused.
func nerfDart(endpoint string) (string, error) {
	for _, c := range endpoint {
		if c <= ' ' || c == 0x7f || c == '"' || c == '\'' || c == ';' || c == '#' {
			return "", fmt.Errorf("repository endpoint %q holds a character an .npmrc line cannot", endpoint)
		}
	}
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" || !strings.HasSuffix(u.Path, "/") {
		return "", fmt.Errorf("repository endpoint %q is not an https URL ending in /", endpoint)
	}
	return "//" + u.Host + u.Path, nil
}

// ValidScope reports whether s is an npm scope setup accepts: @ and a
// lowercase name.
func ValidScope(s string) bool {
	if len(s) < 2 || len(s) > 214 || s[0] != '@' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		ok := c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || (i > 1 && (c == '-' || c == '.' || c == '_' || c == '~'))
		if !ok {
			return false
		}
	}
	return true
}

func managedIndex(want []managedLine, key string) int {
	for i, m := range want {
		if m.key == key {
			return i
		}
	}
	return -1
}

// isVarRef reports whether v is exactly one ${NAME}.
func isVarRef(v string) bool {
	name, ok := strings.CutPrefix(v, "${")
	name, ok2 := strings.CutSuffix(name, "}")
	return ok && ok2 && name != "" && !strings.ContainsAny(name, "${} ")
}

// unquote drops the quotes npm's ini parser drops.
func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}

// splitLines splits s after each \n, keeping the endings.
func splitLines(s string) []string {
	var lines []string
	for s != "" {
		i := strings.IndexByte(s, '\n') + 1
		if i == 0 {
			i = len(s)
		}
		lines, s = append(lines, s[:i]), s[i:]
	}
	return lines
}

// CheckText refuses what no text config file holds: more than
// MaxConfigSize bytes, a NUL byte, or bytes that are not UTF-8.
func CheckText(b []byte) error {
	switch {
	case len(b) > MaxConfigSize:
		return fmt.Errorf("%w: over %d bytes", ErrMalformed, MaxConfigSize)
	case bytes.IndexByte(b, 0) >= 0:
		return fmt.Errorf("%w: it holds a NUL byte (a binary file?)", ErrMalformed)
	case !utf8.Valid(b):
		return fmt.Errorf("%w: it is not UTF-8 text", ErrMalformed)
	}
	return nil
}
