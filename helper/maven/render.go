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
// transports of 3.9 and later do not read it; preemptiveProps covers them.
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
	kids := []el{leaf("id", ProfileID(s.ID)), parent("activation", leaf("activeByDefault", "true"))}
	props := preemptiveProps(s.ID)
	if s.Publish {
		// maven-deploy-plugin 3.0.0 and later read id::url; 2.x wants
		// id::layout::url, which 3.x accepts only with a warning.
		props = append(props, leaf("altDeploymentRepository", s.ID+"::"+s.URL))
	}
	if props != nil {
		kids = append(kids, parent("properties", props...))
	}
	return parent("profile", append(kids,
		parent("repositories", repo("repository")),
		parent("pluginRepositories", repo("pluginRepository")))...)
}

// preemptiveProps makes the native transports send the credentials with the
// first request to repository id (and so to a mirror of that id) instead of
// after a 401. Maven 3.9 and later copy the properties of the settings
// profiles named in <activeProfiles> into the resolver's configuration; 3.8
// ignores them, as it ignores any property it does not know.
//   - aether.connector.http.preemptiveAuth.ID: resolver 1.9 (Maven 3.9).
//   - aether.transport.http.preemptiveAuth.ID: resolver 2 (Maven 3.10, 4).
//   - aether.priority.JdkTransporterFactory=1: Maven 4 prefers its JDK
//     transport (priority 10), which before resolver 2.0.16 (every Maven 4
//     release candidate) answers each file's 401 anew and has no preemptive
//     auth; below the Apache transport (5) Maven 4 uses the one 3.9 and 3.10
//     use. Only Maven 4 has a factory of that name; -Dmaven.resolver.transport
//     still wins.
//
// The per-repository keys leave the user's other servers as they were. An id
// that cannot be part of an element name gets none.
func preemptiveProps(id string) []el {
	if !xmlNameSafe(id) {
		return nil
	}
	return []el{
		leaf("aether.connector.http.preemptiveAuth."+id, "true"),
		leaf("aether.transport.http.preemptiveAuth."+id, "true"),
		leaf("aether.priority.JdkTransporterFactory", "1"),
	}
}

// xmlNameSafe reports whether s may follow a letter in an XML element name
// using only ASCII letters, digits, '-', '_' and '.'.
func xmlNameSafe(s string) bool {
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.'
		if !ok {
			return false
		}
	}
	return s != ""
}
