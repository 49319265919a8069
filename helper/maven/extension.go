package maven

import (
	"fmt"
	"strings"
)

// The Maven extension (maven-extension/) as a project's .mvn/extensions.xml
// names it. The version is the extension's own and changes only when its
// contract does, so a committed extensions.xml does not churn.
const (
	ExtensionGroup    = "io.github.ca-helper"
	ExtensionArtifact = "ca-helper-maven-extension"
	ExtensionVersion  = "1.0.0"
)

// MarkerPrefix starts the marker ca-helper writes. Maven 4 hands a password
// of this form ({[name=…,version=…]payload}) to the password dispatcher of
// that name; on Maven 3 the extension reads it itself.
const MarkerPrefix = "{[name=ca-helper,version=1]"

// Marker returns the server password that makes the extension run
// `ca-helper get ARGS`: {[name=ca-helper,version=1]ARGS}, the one form every
// Maven takes (the older {ca-helper:ARGS} stops Maven 4). Each arg must be a
// word without blanks, control characters or braces, as the extension splits
// on blanks and stops at '}'.
func Marker(args []string) (string, error) {
	for _, a := range args {
		if a == "" || strings.IndexFunc(a, isBlankOrControl) >= 0 || strings.ContainsAny(a, "{}[]") {
			return "", fmt.Errorf("%q cannot be written into a ca-helper password: want no blanks, braces or brackets", a)
		}
	}
	return MarkerPrefix + strings.Join(args, " ") + "}", nil
}

const extensionsSkeleton = `<?xml version="1.0" encoding="UTF-8"?>
<extensions xmlns="http://maven.apache.org/EXTENSIONS/1.0.0"
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
            xsi:schemaLocation="http://maven.apache.org/EXTENSIONS/1.0.0 https://maven.apache.org/xsd/core-extensions-1.0.0.xsd">
</extensions>
`

// MergeExtension returns a .mvn/extensions.xml that loads the extension:
// existing (nil or blank for a new file) with an <extension> for it added, or
// the one already there set to ExtensionVersion. Everything else is kept byte
// for byte. A malformed file gives an error wrapping ErrInvalid.
func MergeExtension(existing []byte) ([]byte, error) {
	src := existing
	if len(strings.TrimSpace(string(src))) == 0 {
		src = []byte(extensionsSkeleton)
	}
	root, err := parse(src)
	if err != nil {
		return nil, err
	}
	if root.name != "extensions" {
		return nil, invalidAt(src, root.start, fmt.Sprintf("root element is <%s>, want <extensions>", root.name))
	}
	l := newLayout(src, root)
	rootInd := l.indentOf(root, "")
	ind := l.childIndent(root, rootInd)
	ext := parent("extension", leaf("groupId", ExtensionGroup), leaf("artifactId", ExtensionArtifact), leaf("version", ExtensionVersion))
	var edits []edit
	for _, e := range root.childrenNamed("extension") {
		if e.childText("groupId") == ExtensionGroup && e.childText("artifactId") == ExtensionArtifact {
			edits = append(edits, edit{e.start, e.end, l.render(ext, l.indentOf(e, ind))})
		}
	}
	if len(edits) == 0 {
		edits = append(edits, l.appendInto(root, rootInd, l.nl+ind+l.render(ext, ind)))
	}
	return apply(src, edits), nil
}

// IsMarker reports whether a server password asks the extension for a
// token: the marker Marker writes, or the older {ca-helper…} form.
func IsMarker(password string) bool {
	p := strings.TrimSpace(password)
	return strings.HasPrefix(p, "{ca-helper") || strings.HasPrefix(p, MarkerPrefix)
}

// LoadsExtension reports whether an extensions.xml names the extension.
func LoadsExtension(extensionsXML []byte) bool {
	root, err := parse(extensionsXML)
	if err != nil || root.name != "extensions" {
		return false
	}
	for _, e := range root.childrenNamed("extension") {
		if e.childText("groupId") == ExtensionGroup && e.childText("artifactId") == ExtensionArtifact {
			return true
		}
	}
	return false
}

// Summary is what doctor needs from a settings.xml: the servers that use a
// {ca-helper} marker and the <localRepository>, if set.
type Summary struct {
	MarkerServers   []string
	LocalRepository string
}

// Summarize reads a settings.xml; an error wraps ErrInvalid.
func Summarize(settings []byte) (Summary, error) {
	_, root, err := load(settings)
	if err != nil {
		return Summary{}, err
	}
	var s Summary
	s.LocalRepository = root.childText("localRepository")
	for _, list := range root.childrenNamed("servers") {
		for _, srv := range list.childrenNamed("server") {
			if IsMarker(srv.childText("password")) {
				s.MarkerServers = append(s.MarkerServers, srv.childText("id"))
			}
		}
	}
	return s, nil
}
