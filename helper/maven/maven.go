// Package maven merges a CodeArtifact server, profile and optional mirror into
// a Maven settings.xml. It splices text at the byte offsets the XML tokenizer
// reports instead of re-marshalling, so every element, comment and blank it
// does not own stays byte for byte as the user wrote it, and merging its own
// output again changes nothing. The token itself is never written: the server
// password is ${env.VAR}, which Maven reads from the environment, or a
// {ca-helper} marker that the Maven extension replaces with a token.
package maven

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode"

	"github.com/ca-helper/ca-helper/helper/names"
	"github.com/ca-helper/ca-helper/helper/safetext"
)

// ErrInvalid means an existing file is not well-formed XML or not the
// document expected (<settings>, <extensions>); nothing is then written.
var ErrInvalid = errors.New("invalid XML")

// DefaultEnvVar holds the token when Server.EnvVar is empty.
const DefaultEnvVar = "CODEARTIFACT_AUTH_TOKEN"

// Server is one CodeArtifact repository as Maven should see it.
type Server struct {
	ID     string // server id == repository id == mirror id
	URL    string // repository endpoint
	EnvVar string // variable with the token; default DefaultEnvVar
	// Password, when set, is written instead of ${env.EnvVar}: a Marker for
	// the Maven extension. It is never a token.
	Password string
	Mirror   bool // also add a <mirror> of * pointing at URL
	// Publish makes the profile name the repository as the deployment
	// target (altDeploymentRepository), so mvn deploy needs no
	// <distributionManagement>.
	Publish bool
}

// ProfileID is the id of the profile Merge adds for serverID. The prefix keeps
// it apart from profiles of the user's own that share the repository's name.
func ProfileID(serverID string) string { return "codeartifact-" + serverID }

// Validate checks ID and EnvVar (empty means DefaultEnvVar), and URL once it
// is set, so a caller can reject bad input before it looks the URL up. Merge
// checks all three.
func (s Server) Validate() error {
	if s.ID == "" || strings.IndexFunc(s.ID, isBlankOrControl) >= 0 {
		return fmt.Errorf("invalid server id %q: want a non-empty id without blanks", s.ID)
	}
	if s.EnvVar != "" && !names.EnvVar(s.EnvVar) {
		return fmt.Errorf("invalid environment variable name %q: want letters, digits and _", s.EnvVar)
	}
	if s.Password != "" && (!IsMarker(s.Password) || strings.IndexFunc(s.Password, unicode.IsControl) >= 0) {
		return fmt.Errorf("invalid password %q: want a ca-helper marker", s.Password)
	}
	if s.URL == "" {
		return nil
	}
	u, err := url.Parse(s.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
		strings.IndexFunc(s.URL, isBlankOrControl) >= 0 {
		return fmt.Errorf("invalid repository url %q: want an http(s) URL without blanks", safetext.URL(s.URL))
	}
	return nil
}

func isBlankOrControl(r rune) bool { return r <= ' ' || r == 0x7f || r == 0x85 || r == 0xa0 }

// skeleton is the document a missing or empty file starts from.
const skeleton = `<?xml version="1.0" encoding="UTF-8"?>
<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0"
          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
          xsi:schemaLocation="http://maven.apache.org/SETTINGS/1.0.0 https://maven.apache.org/xsd/settings-1.0.0.xsd">
</settings>
`

// Merge returns existing with s merged in: a <server> with the credentials; a
// profile ProfileID(s.ID), active by default and also listed in
// <activeProfiles> (activeByDefault alone lapses when another profile is
// active), with the repository and plugin repository; and with s.Mirror a
// <mirror> of *, put first because Maven uses the first mirror that matches.
// Entries with the same id are replaced in place; everything else is kept
// byte for byte. A missing list goes after the element the schema puts before
// it. existing may be nil or empty for a new file. A malformed existing file
// gives an error wrapping ErrInvalid.
func Merge(existing []byte, s Server) ([]byte, error) {
	out, _, err := MergeReport(existing, s)
	return out, err
}

// MergeReport is Merge, also telling what it replaced of the user's.
func MergeReport(existing []byte, s Server) ([]byte, Report, error) {
	if s.EnvVar == "" {
		s.EnvVar = DefaultEnvVar
	}
	if err := s.Validate(); err != nil {
		return nil, Report{}, err
	}
	if s.URL == "" {
		return nil, Report{}, errors.New("no repository url")
	}
	src, root, err := load(existing)
	if err != nil {
		return nil, Report{}, err
	}
	m := &merger{layout: newLayout(src, root), root: root}
	m.rootInd = m.indentOf(root, "")
	m.childInd = m.childIndent(root, m.rootInd)
	for _, sec := range sections(s) {
		m.merge(sec)
	}
	m.addContainers()
	return apply(src, m.edits), m.report, nil
}

// Check reports whether Merge can merge into existing: nil, or an error
// wrapping ErrInvalid.
func Check(existing []byte) error {
	_, _, err := load(existing)
	return err
}

// load parses existing, or the skeleton when existing is empty or blank.
func load(existing []byte) ([]byte, *node, error) {
	src := existing
	if len(bytes.TrimSpace(src)) == 0 {
		src = []byte(skeleton)
	}
	root, err := parse(src)
	if err != nil {
		return nil, nil, err
	}
	if root.name != "settings" {
		return nil, nil, invalidAt(src, root.start, fmt.Sprintf("root element is <%s>, want <settings>", root.name))
	}
	return src, root, nil
}

// section is one list in settings.xml and the entry Merge owns in it.
type section struct {
	container, entry string
	key              func(*node) string // the id an existing entry is matched by
	id               string
	el               el
	first            bool // a new entry goes before the others: Maven uses the first mirror that matches
	// update, when set, edits an existing entry in place instead of
	// replacing it (the user's server keeps what ca-helper does not own).
	update func(m *merger, e *node, ind string)
}

func sections(s Server) []section {
	byID := func(n *node) string { return n.childText("id") }
	byText := func(n *node) string { return string(bytes.TrimSpace(n.text)) }
	out := []section{{"servers", "server", byID, s.ID, serverEl(s), false,
		func(m *merger, e *node, ind string) { m.updateServer(e, ind, s) }}}
	if s.Mirror {
		out = append(out, section{"mirrors", "mirror", byID, s.ID, mirrorEl(s), true, nil})
	}
	return append(out,
		section{"profiles", "profile", byID, ProfileID(s.ID), profileEl(s), false, nil},
		section{"activeProfiles", "activeProfile", byText, ProfileID(s.ID), leaf("activeProfile", ProfileID(s.ID)), false, nil})
}

// order is the element order of the settings schema; a missing list is added
// after the last present element that comes before it.
var order = []string{"localRepository", "interactiveMode", "usePluginRegistry", "offline",
	"pluginGroups", "servers", "mirrors", "proxies", "profiles", "activeProfiles"}

type merger struct {
	layout
	root              *node
	rootInd, childInd string
	edits             []edit
	missing           []section // lists to add to <settings>, in schema order
	report            Report
}

// merge replaces every entry with the section's id, or else adds one to the
// first list of that kind, or else notes the list as missing.
func (m *merger) merge(sec section) {
	containers := m.root.childrenNamed(sec.container)
	found := false
	for _, c := range containers {
		ind := m.indentOf(c, m.childInd) + m.unit
		for _, e := range c.childrenNamed(sec.entry) {
			if sec.key(e) != sec.id {
				continue
			}
			found = true
			if sec.update != nil && !e.empty() {
				sec.update(m, e, m.indentOf(e, ind))
			} else {
				m.edits = append(m.edits, edit{e.start, e.end, m.render(sec.el, m.indentOf(e, ind))})
			}
		}
	}
	switch {
	case found:
	case len(containers) == 0:
		m.missing = append(m.missing, sec)
	default:
		c := containers[0]
		cind := m.indentOf(c, m.childInd)
		eind := m.childIndent(c, cind)
		text := m.nl + eind + m.render(sec.el, eind)
		if sec.first && len(c.children) > 0 {
			m.edits = append(m.edits, edit{c.open, c.open, text})
		} else {
			m.edits = append(m.edits, m.appendInto(c, cind, text))
		}
	}
}

// addContainers adds the missing lists to <settings>, each after the last
// present element that precedes it in the schema.
func (m *merger) addContainers() {
	var anchors []int
	texts := map[int]string{}
	for _, sec := range m.missing {
		pos := m.anchor(sec.container)
		if _, ok := texts[pos]; !ok {
			anchors = append(anchors, pos)
		}
		texts[pos] += m.nl + m.childInd + m.render(parent(sec.container, sec.el), m.childInd)
	}
	last := m.appendInto(m.root, m.rootInd, "")
	for _, pos := range anchors {
		if pos == last.start || m.root.empty() {
			m.edits = append(m.edits, m.appendInto(m.root, m.rootInd, texts[pos]))
		} else {
			m.edits = append(m.edits, edit{pos, pos, texts[pos]})
		}
	}
}

func (m *merger) anchor(container string) int {
	idx := slices.Index(order, container)
	pos := m.root.open
	for _, c := range m.root.children {
		if i := slices.Index(order, c.name); i >= 0 && i < idx && c.end > pos {
			pos = c.end
		}
	}
	return pos
}
