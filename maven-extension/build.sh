#!/bin/sh
# Build the ca-helper Maven extension offline: javac against the jars of the
# Maven installation that will load it (Maven 3.8+, Java 17+), no downloads.
#   usage: maven-extension/build.sh OUT_DIR [CA_HELPER_PATH]
# Writes OUT_DIR/ca-helper-maven-extension-VERSION.jar and its .pom. With
# CA_HELPER_PATH the jar remembers where ca-helper is, for IDEs whose PATH
# lacks it. MAVEN_HOME picks the Maven installation (default: the mvn on PATH).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUT_DIR [CA_HELPER_PATH]}
helper_path=${2:-}
version=1.0.0
artifact=ca-helper-maven-extension-$version

if [ -z "${MAVEN_HOME:-}" ]; then
	MAVEN_HOME=$(mvn -v 2>/dev/null | sed -n 's/^Maven home: //p')
fi
if [ ! -d "${MAVEN_HOME:-}/lib" ]; then
	echo "build.sh: error: no Maven installation found (mvn -v names none)" >&2
	echo "build.sh: hint: put mvn on PATH or set MAVEN_HOME" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/classes/io/github/cahelper/maven"
src=$here/src/main/java/io/github/cahelper/maven
if ls "$MAVEN_HOME"/lib/maven-core-4.* >/dev/null 2>&1; then
	# Maven 4: the password dispatcher (src/maven4), with the marker parser and
	# the ca-helper runner it shares with the Maven 3 extension. Java 17, as
	# Maven 4 needs.
	artifact=ca-helper-maven4-extension-$version
	javac -nowarn --release 17 -encoding UTF-8 -cp "$MAVEN_HOME/lib/*" -d "$tmp/classes" \
		"$src/Marker.java" "$src/TokenCommand.java" "$here"/src/maven4/java/io/github/cahelper/maven/*.java
	cp -R "$here/src/maven4/resources/." "$tmp/classes/"
else
	# --release 8: the Sisu in Maven 3.8 silently skips components in newer
	# class files (its ASM cannot read them), and Maven 3 runs on Java 8 and up.
	javac -nowarn --release 8 -encoding UTF-8 -cp "$MAVEN_HOME/lib/*" -d "$tmp/classes" "$src"/*.java
	cp -R "$here/src/main/resources/." "$tmp/classes/"
fi
if [ -n "$helper_path" ]; then
	# java.util.Properties reads backslashes as escapes (Windows paths).
	printf 'path=%s\n' "$(printf '%s' "$helper_path" | sed 's/\\/\\\\/g')" \
		>"$tmp/classes/io/github/cahelper/maven/ca-helper.properties"
fi
printf 'Implementation-Title: ca-helper Maven extension\nImplementation-Version: %s\n' "$version" >"$tmp/manifest"
mkdir -p "$out"
jar --create --file "$tmp/$artifact.jar" --manifest "$tmp/manifest" -C "$tmp/classes" .
sed "s/@VERSION@/$version/; s/<artifactId>ca-helper-maven-extension</<artifactId>${artifact%-$version}</" "$here/pom.xml" >"$tmp/$artifact.pom"
mv -f "$tmp/$artifact.jar" "$out/$artifact.jar"
mv -f "$tmp/$artifact.pom" "$out/$artifact.pom"
echo "$out/$artifact.jar"
