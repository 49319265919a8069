package maven

import (
	"bytes"
	"fmt"
	"strings"
)

// The per-user install of the extension, as `ca-helper maven install` writes
// it. No project file is needed: ~/.mavenrc hands the jar to every mvn and
// ./mvnw (Maven 3 and 4 source that file), ~/.m2/maven-user.properties to
// Maven 4 wherever it runs (its importers too), and lib to one Maven
// installation, such as the one an IDE bundles.
const (
	// ExtensionJar is the jar's name in PREFIX/share/ca-helper and in the
	// local repository.
	ExtensionJar = ExtensionArtifact + "-" + ExtensionVersion + ".jar"
	// HomeJar is its name in a Maven installation's lib (or lib/ext).
	HomeJar = "ca-helper-maven-extension.jar"
	// ExtClassPath is the property that lists jars Maven loads as core
	// extensions.
	ExtClassPath = "maven.ext.class.path"
)

const (
	rcBegin = "# >>> ca-helper: load the ca-helper Maven extension (`ca-helper maven uninstall` removes this) >>>"
	rcEnd   = "# <<< ca-helper <<<"
)

// MergeMavenrc returns a ~/.mavenrc (existing may be empty) whose ca-helper
// block puts -Dmaven.ext.class.path=jar in front of MAVEN_OPTS, so a path the
// user sets in MAVEN_OPTS or on the command line still wins. The block acts
// for Maven 3 only: Maven 4 warns that the property is deprecated as a JVM
// option, and takes the extension from ~/.m2/ext instead. The mvn script
// sources the file, so $0 is that script, in the bin of its Maven home. The
// rest of the file is kept byte for byte. The mvn script splits MAVEN_OPTS on
// blanks, so a jar path with blanks or shell characters is refused.
func MergeMavenrc(existing []byte, jar string) ([]byte, error) {
	if jar == "" || strings.ContainsAny(jar, " \t\n\r\"'`$\\;&|<>(){}*?[]#~") {
		return nil, fmt.Errorf("jar path %q has a blank or a shell character, which MAVEN_OPTS cannot carry", jar)
	}
	block := rcBegin + "\n" +
		`ca_helper_mvn=$(readlink -f "$0" 2>/dev/null) || ca_helper_mvn=$0` + "\n" +
		`if ! ls "${ca_helper_mvn%/*}"/../lib/maven-core-4.* >/dev/null 2>&1; then` + "\n" +
		`	MAVEN_OPTS="-D` + ExtClassPath + "=" + jar + `${MAVEN_OPTS:+ $MAVEN_OPTS}"` + "\n" +
		"fi\n" +
		"unset ca_helper_mvn\n" +
		rcEnd + "\n"
	rest, at := cutBlock(existing)
	if at < 0 {
		at = len(rest)
		if at > 0 && rest[at-1] != '\n' {
			rest = append(rest, '\n')
			at++
		}
	}
	out := append([]byte{}, rest[:at]...)
	out = append(out, block...)
	return append(out, rest[at:]...), nil
}

// RemoveMavenrc returns existing without its ca-helper block.
func RemoveMavenrc(existing []byte) []byte {
	rest, _ := cutBlock(existing)
	return rest
}

// MavenrcJar is the jar the ca-helper block of a ~/.mavenrc loads, or "".
func MavenrcJar(content []byte) string {
	_, block, ok := bytes.Cut(content, []byte(rcBegin+"\n"))
	if !ok {
		return ""
	}
	block, _, _ = bytes.Cut(block, []byte(rcEnd))
	_, v, ok := strings.Cut(string(block), "-D"+ExtClassPath+"=")
	if !ok {
		return ""
	}
	v, _, _ = strings.Cut(v, "${")
	return v
}

// cutBlock returns content without the ca-helper block and the offset where
// the block was (-1 if there was none). A begin line without its end line
// runs to the end of the file, so a damaged block is replaced, not repeated.
func cutBlock(content []byte) ([]byte, int) {
	start := bytes.Index(content, []byte(rcBegin+"\n"))
	if start < 0 || (start > 0 && content[start-1] != '\n') {
		return append([]byte{}, content...), -1
	}
	end := len(content)
	if i := bytes.Index(content[start:], []byte(rcEnd+"\n")); i >= 0 {
		end = start + i + len(rcEnd) + 1
	}
	out := append([]byte{}, content[:start]...)
	return append(out, content[end:]...), start
}

// MergeUserProperties returns a maven-user.properties (existing may be empty)
// whose maven.ext.class.path includes jar: added to the user's own list with
// sep (the OS path list separator), or as a new line. Other lines are kept.
func MergeUserProperties(existing []byte, jar, sep string) []byte {
	if UserPropertiesLoads(existing, jar, sep) {
		return existing
	}
	lines := splitLines(existing)
	for i, l := range lines {
		if list, ok := extClassPathValue(l); ok {
			if strings.TrimSpace(list) != "" {
				list += sep
			}
			lines[i] = ExtClassPath + "=" + escapeProperty(list+jar)
			return joinLines(lines)
		}
	}
	out := append([]byte{}, existing...)
	if len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, '\n')
	}
	return append(out, ExtClassPath+"="+escapeProperty(jar)+"\n"...)
}

// RemoveUserProperties takes jar out of maven.ext.class.path, and the line
// out when nothing else is left in it.
func RemoveUserProperties(existing []byte, jar, sep string) []byte {
	lines := splitLines(existing)
	var kept []string
	changed := false
	for _, l := range lines {
		list, ok := extClassPathValue(l)
		if !ok {
			kept = append(kept, l)
			continue
		}
		var others []string
		for _, p := range strings.Split(list, sep) {
			if p != jar && p != "" {
				others = append(others, p)
			}
		}
		if len(others) == len(strings.Split(list, sep)) {
			kept = append(kept, l)
			continue
		}
		changed = true
		if len(others) > 0 {
			kept = append(kept, ExtClassPath+"="+escapeProperty(strings.Join(others, sep)))
		}
	}
	if !changed {
		return existing
	}
	return joinLines(kept)
}

// UserPropertiesLoads reports whether a maven-user.properties lists jar in
// maven.ext.class.path.
func UserPropertiesLoads(content []byte, jar, sep string) bool {
	for _, l := range splitLines(content) {
		if list, ok := extClassPathValue(l); ok {
			for _, p := range strings.Split(list, sep) {
				if p == jar {
					return true
				}
			}
		}
	}
	return false
}

// extClassPathValue reads a "maven.ext.class.path = VALUE" line (= or :),
// unescaping backslashes.
func extClassPathValue(line string) (string, bool) {
	rest, ok := strings.CutPrefix(strings.TrimLeft(line, " \t"), ExtClassPath)
	if !ok {
		return "", false
	}
	rest = strings.TrimLeft(rest, " \t")
	if rest == "" || (rest[0] != '=' && rest[0] != ':') {
		return "", false
	}
	v := strings.TrimSpace(rest[1:])
	return strings.NewReplacer(`\\`, `\`, `\:`, `:`, `\=`, `=`, `\ `, ` `).Replace(v), true
}

func escapeProperty(v string) string { return strings.ReplaceAll(v, `\`, `\\`) }

// splitLines splits content into lines without their "\n"; a last line
// without one is kept as is.
func splitLines(content []byte) []string {
	if len(content) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(content), "\n"), "\n")
}

func joinLines(lines []string) []byte {
	if len(lines) == 0 {
		return nil
	}
	return []byte(strings.Join(lines, "\n") + "\n")
}
