package maven

import (
	"bytes"
	"strings"
)

// Report is what a merge replaced of the user's own.
type Report struct {
	// LiteralPassword is set when the server's password was neither a
	// ${env.VAR} reference nor a ca-helper marker (a pasted token, or a
	// password of the user's), which the merge replaced.
	LiteralPassword bool
}

// updateServer edits the user's <server> e in place: the password's text
// becomes ca-helper's, a missing or empty username becomes aws, and a server
// without <configuration> gets ca-helper's (see serverConfig). Everything
// else in it (a configuration or username of the user's, comments) stays.
func (m *merger) updateServer(e *node, ind string, s Server) {
	eind := m.childIndent(e, ind)
	var add []el
	if u := e.child("username"); u == nil {
		add = append(add, leaf("username", "aws"))
	} else if len(bytes.TrimSpace(u.text)) == 0 {
		m.edits = append(m.edits, m.setText(u, "aws"))
	}
	password := serverPassword(s)
	if p := e.child("password"); p == nil {
		add = append(add, leaf("password", password))
	} else {
		old := strings.TrimSpace(string(p.text))
		if old != "" && !IsMarker(old) && !strings.HasPrefix(old, "${env.") {
			m.report.LiteralPassword = true
		}
		m.edits = append(m.edits, m.setText(p, password))
	}
	if e.child("configuration") == nil {
		add = append(add, serverConfig())
	}
	if len(add) == 0 {
		return
	}
	var text strings.Builder
	for _, a := range add {
		text.WriteString(m.nl + eind + m.render(a, eind))
	}
	m.edits = append(m.edits, m.appendInto(e, ind, text.String()))
}

// setText replaces the content of n with text (escaped).
func (m *merger) setText(n *node, text string) edit {
	if n.empty() {
		return edit{n.start, n.end, m.render(leaf(n.name, text), "")}
	}
	return edit{n.open, n.close, escaper.Replace(text)}
}
