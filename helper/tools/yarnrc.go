package tools

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/ca-helper/ca-helper/helper/names"
)

// yarnrc is Yarn Berry's (2 and later) .yarnrc.yml, read from the project
// and its parents and from the home directory; Yarn ignores .npmrc. setup
// manages, for the default registry (or, with a scope, under
// npmScopes.SCOPE, with npmPublishRegistry too: Yarn publishes a scope's
// packages to the default registry without it):
//
//	npmRegistryServer: "https://HOST/npm/REPO/"
//	npmRegistries:
//	  "//HOST/npm/REPO/":
//	    npmAlwaysAuth: true
//	    npmAuthToken: "${CODEARTIFACT_AUTH_TOKEN-}"
//
// The token sits under npmRegistries, keyed by the repository, not at the
// top level: Yarn falls back to the top-level npmAuthToken for every
// registry without settings of its own, so a token there would go to other
// scopes' registries too. npmAlwaysAuth: Yarn sends no token on GETs
// without it, and CodeArtifact wants one on every request. ${VAR-}: Yarn
// refuses to run at all ("Environment variable not found") while a ${VAR}
// in a yarnrc is unset, even `yarn --version`; with the empty default,
// commands that need no registry run, and one that does fails with "No
// authentication configured for request" instead of going elsewhere.
//
// A top-level npmAuthToken (for a scope: npmScopes.SCOPE.npmAuthToken)
// that holds a token, or refers to the variable, is removed: the one under
// npmRegistries takes its place. The file is edited line by line in the
// subset of YAML that yamlLines reads; anything else on the way to a
// managed key is refused with ErrMalformed.
type yarnrc struct{}

var _ ConfigFile = yarnrc{}

func (yarnrc) Path(home, project string) string {
	if project != "" {
		return filepath.Join(project, ".yarnrc.yml")
	}
	return filepath.Join(home, ".yarnrc.yml")
}

// yarnKey is a key setup manages: set to value, or, for a guard, removed
// when it holds a token or refers to the variable.
type yarnKey struct {
	path  []string
	value string // as written: double-quoted, or true
	auth  bool   // anything but a ${VAR} there is a token
	guard bool
}

func (yarnrc) Merge(existing []byte, r Registry) ([]byte, Report, error) {
	if err := CheckText(existing); err != nil {
		return nil, Report{}, err
	}
	want, regKey, err := yarnKeys(r)
	if err != nil {
		return nil, Report{}, err
	}
	scope := strings.TrimPrefix(r.Scope, "@")
	canon := func(p []string) []string {
		if len(p) >= 2 && p[0] == "npmRegistries" && sameRegistry(p[1], regKey) {
			p = append([]string{p[0], regKey}, p[2:]...)
		}
		return p
	}
	strict := func(p []string) bool {
		p = canon(p)
		return len(p) == 0 || slices.Equal(p, []string{"npmRegistries"}) || slices.Equal(p, []string{"npmRegistries", regKey}) ||
			(scope != "" && (slices.Equal(p, []string{"npmScopes"}) || slices.Equal(p, []string{"npmScopes", scope})))
	}
	y, err := scanYAML(string(existing), strict)
	if err != nil {
		return nil, Report{}, err
	}
	m := yarnMerge{y: y, eol: "\n", edits: map[int]string{}, found: map[string]*yamlNode{}}
	if strings.Contains(string(existing), "\r\n") {
		m.eol = "\r\n"
	}
	for _, n := range y.nodes {
		n.path = canon(n.path)
		if strict(n.path) { // a mapping on the way to a managed key
			if err := m.mapping(n); err != nil {
				return nil, Report{}, err
			}
		}
	}
	for _, k := range want {
		if err := m.leaf(k, r.EnvVar); err != nil {
			return nil, Report{}, err
		}
	}
	return m.output(), m.rep, nil
}

// yarnKeys are the keys setup wants for r, and r's npmRegistries key.
func yarnKeys(r Registry) ([]yarnKey, string, error) {
	nerf, err := nerfDart(r.Endpoint)
	if err != nil {
		return nil, "", err
	}
	if strings.ContainsAny(r.Endpoint, `\${}`) {
		return nil, "", fmt.Errorf("repository endpoint %q holds a character a .yarnrc.yml value cannot", r.Endpoint)
	}
	if !names.EnvVar(r.EnvVar) {
		return nil, "", fmt.Errorf("invalid environment variable name %q", r.EnvVar)
	}
	top := []string{}
	if r.Scope != "" {
		if !ValidScope(r.Scope) {
			return nil, "", fmt.Errorf("invalid npm scope %q: want @ and a lowercase name, such as @my-org", r.Scope)
		}
		top = []string{"npmScopes", r.Scope[1:]}
	}
	keys := []yarnKey{{path: append(slices.Clone(top), "npmRegistryServer"), value: yamlQuote(r.Endpoint)}}
	if r.Scope != "" { // else the scope's packages are published to the default registry
		keys = append(keys, yarnKey{path: append(slices.Clone(top), "npmPublishRegistry"), value: yamlQuote(r.Endpoint)})
	}
	return append(keys,
		yarnKey{path: append(slices.Clone(top), "npmAuthToken"), guard: true},
		yarnKey{path: []string{"npmRegistries", nerf, "npmAlwaysAuth"}, value: "true"},
		yarnKey{path: []string{"npmRegistries", nerf, "npmAuthToken"}, value: yamlQuote("${" + r.EnvVar + "-}"), auth: true},
	), nerf, nil
}

// sameRegistry reports whether an npmRegistries key names the registry
// whose key setup writes as nerf: Yarn drops a trailing / from the keys
// and tries the URL with its scheme, then without.
func sameRegistry(key, nerf string) bool {
	if i := strings.Index(key, "://"); i > 0 {
		key = key[i+1:]
	}
	return strings.TrimSuffix(key, "/") == strings.TrimSuffix(nerf, "/")
}

// isYarnVarRef reports whether v is one ${NAME}, ${NAME-default} or
// ${NAME:-default}, and which NAME.
func isYarnVarRef(v string) (string, bool) {
	inner, ok := strings.CutPrefix(v, "${")
	inner, ok2 := strings.CutSuffix(inner, "}")
	name, _, _ := strings.Cut(inner, "-")
	name = strings.TrimSuffix(name, ":")
	return name, ok && ok2 && names.EnvVar(name) && !strings.ContainsAny(inner, "${}")
}

type yarnMerge struct {
	y     *yamlLines
	eol   string
	edits map[int]string // line index: its new text, "" to remove it
	found map[string]*yamlNode
	adds  []*yarnAdd
	rep   Report
}

// yarnAdd is keys added under the existing mapping at, at the end of its
// lines, as a small tree.
type yarnAdd struct {
	at   *yamlNode // nil: the top level
	tree *yarnTree
}

type yarnTree struct {
	key, value string
	kids       []*yarnTree
}

func pathKey(p []string) string { return strings.Join(p, "\x00") }

// mapping records n, a mapping setup adds keys to, once.
func (m *yarnMerge) mapping(n *yamlNode) error {
	shown := showPath(n.path)
	if m.found[pathKey(n.path)] != nil {
		return fmt.Errorf("%w: %s is set twice: merge them by hand", ErrMalformed, shown)
	}
	if n.value != "" {
		return fmt.Errorf("%w: %s is not a block mapping (%s): ca-helper edits `key:` lines with the entries indented below", ErrMalformed, shown, n.value)
	}
	m.found[pathKey(n.path)] = n
	return nil
}

// leaf sets, or for a guard removes, the lines of k.
func (m *yarnMerge) leaf(k yarnKey, envVar string) error {
	shown, set := showPath(k.path), false
	for _, n := range m.y.nodes {
		if !slices.Equal(n.path, k.path) {
			continue
		}
		old, ok := yamlScalar(n.value)
		if !ok || n.end != n.line+1 {
			return fmt.Errorf("%w: %s is not a one-line plain or quoted value", ErrMalformed, shown)
		}
		ref, isRef := isYarnVarRef(old)
		oldShown := shown + ": " + n.value
		literal := (k.auth || k.guard) && old != "" && !isRef
		if literal {
			m.rep.LiteralToken, oldShown = true, shown+": [redacted]"
		}
		switch {
		case k.guard && (literal || ref == envVar):
			m.edits[n.line] = ""
			m.rep.Changes = append(m.rep.Changes, Change{Old: oldShown})
		case k.guard:
		case set: // a duplicate: Yarn would refuse the file
			m.edits[n.line] = ""
			m.rep.Changes = append(m.rep.Changes, Change{Old: oldShown})
		case n.value == k.value || (k.value == "true" && old == "true"):
			set = true
		default:
			set = true
			m.edits[n.line] = strings.Repeat(" ", n.indent) + n.key + ": " + k.value + m.y.lines[n.line][len(strings.TrimRight(m.y.lines[n.line], "\r\n")):]
			m.rep.Changes = append(m.rep.Changes, Change{Old: oldShown, New: shown + ": " + k.value})
		}
	}
	if set || k.guard {
		return nil
	}
	m.rep.Changes = append(m.rep.Changes, Change{New: shown + ": " + k.value})
	d := len(k.path) - 1
	for d > 0 && m.found[pathKey(k.path[:d])] == nil {
		d--
	}
	var at *yamlNode
	if d > 0 {
		at = m.found[pathKey(k.path[:d])]
	}
	i := slices.IndexFunc(m.adds, func(a *yarnAdd) bool { return a.at == at })
	if i < 0 {
		m.adds, i = append(m.adds, &yarnAdd{at: at, tree: &yarnTree{}}), len(m.adds)
	}
	t := m.adds[i].tree
	for j, name := range k.path[d:] {
		c := slices.IndexFunc(t.kids, func(c *yarnTree) bool { return c.key == yarnKeyText(name) })
		if c < 0 {
			t.kids, c = append(t.kids, &yarnTree{key: yarnKeyText(name)}), len(t.kids)
		}
		if t = t.kids[c]; j == len(k.path[d:])-1 {
			t.value = k.value
		}
	}
	return nil
}

// output is the file with the edits made and the keys added, each at the
// end of the mapping it goes in (deeper mappings first where two end on
// the same line).
func (m *yarnMerge) output() []byte {
	lines := slices.Clone(m.y.lines)
	type insert struct {
		at, depth int
		text      string
	}
	var inserts []insert
	for _, a := range m.adds {
		at, depth, indent := len(lines), 0, 0
		if a.at != nil {
			at, depth, indent = a.at.end, len(a.at.path), a.at.indent+2
			if a.at.children >= 0 {
				indent = a.at.children
			}
		}
		var b strings.Builder
		for _, t := range a.tree.kids {
			t.render(&b, indent, m.eol)
		}
		inserts = append(inserts, insert{at, depth, b.String()})
	}
	sort.SliceStable(inserts, func(i, j int) bool {
		return inserts[i].at > inserts[j].at || (inserts[i].at == inserts[j].at && inserts[i].depth < inserts[j].depth)
	})
	for i, text := range m.edits {
		lines[i] = text
	}
	for _, in := range inserts { // from the end, so the indexes hold
		if n := in.at; n > 0 && lines[n-1] != "" && !strings.HasSuffix(lines[n-1], "\n") {
			lines[n-1] += m.eol
		}
		lines = slices.Insert(lines, in.at, in.text)
	}
	return []byte(strings.Join(lines, ""))
}
