package maven

import "strings"

// el is an element to write: a leaf with text, or a parent of kids.
type el struct {
	name string
	text string
	kids []el
}

func leaf(name, text string) el         { return el{name: name, text: text} }
func parent(name string, kids ...el) el { return el{name: name, kids: kids} }

// render writes e as it goes at indent ind: the first line carries no indent
// (the document already has it there), each deeper line one more unit.
func (l layout) render(e el, ind string) string {
	var b strings.Builder
	l.write(&b, e, ind)
	return b.String()
}

func (l layout) write(b *strings.Builder, e el, ind string) {
	b.WriteString("<" + e.name + ">")
	if e.kids == nil {
		b.WriteString(escaper.Replace(e.text))
	} else {
		for _, k := range e.kids {
			b.WriteString(l.nl + ind + l.unit)
			l.write(b, k, ind+l.unit)
		}
		b.WriteString(l.nl + ind)
	}
	b.WriteString("</" + e.name + ">")
}

// escaper escapes element text; quotes need no escaping outside attributes.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func serverEl(s Server) el {
	return parent("server",
		leaf("id", s.ID),
		leaf("username", "aws"),
		leaf("password", serverPassword(s)),
		serverConfig())
}

// serverPassword is ${env.VAR}, or the marker when one is set.
func serverPassword(s Server) string {
	if s.Password != "" {
		return s.Password
	}
	return "${env." + s.EnvVar + "}"
}

// serverConfig makes Maven's wagon transport (Maven 3.8, and 3.9 and later
// with -Dmaven.resolver.transport=wagon) send the credentials with the first
// request instead of after a 401 challenge for every file. The native
// transport of 3.9 and later does not read it; it remembers the challenge per
// repository for the rest of the session.
func serverConfig() el {
	return parent("configuration",
		parent("httpConfiguration",
			parent("all", leaf("usePreemptive", "true"))))
}

func mirrorEl(s Server) el {
	return parent("mirror",
		leaf("id", s.ID),
		leaf("mirrorOf", "*"),
		leaf("url", s.URL))
}

func profileEl(s Server) el {
	repo := func(name string) el {
		return parent(name,
			leaf("id", s.ID),
			leaf("url", s.URL),
			parent("releases", leaf("enabled", "true")),
			parent("snapshots", leaf("enabled", "true")))
	}
	return parent("profile",
		leaf("id", ProfileID(s.ID)),
		parent("activation", leaf("activeByDefault", "true")),
		parent("repositories", repo("repository")),
		parent("pluginRepositories", repo("pluginRepository")))
}
