#!/bin/sh
# Build the ca-helper Maven extension offline: javac against the jars of the
# Maven installation at hand (any of 3.8 to 4.0), no downloads. The jar works
# on every Maven from 3.8 to 4.0.
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
mkdir -p "$tmp/classes/io/github/cahelper/maven" "$tmp/api4"
# One jar for every Maven. Maven 3 runs the event spy and the settings
# decrypter; Maven 4 runs the password dispatcher. The dispatcher is compiled
# against src/api4, a stand-in for the plexus-sec-dispatcher 4 API that stays
# out of the jar: Maven 3 lacks that API and its Sisu skips the dispatcher
# without a word, and Maven 4 links it to its own classes. --release 8: the
# Sisu in Maven 3.8 silently skips components in newer class files (its ASM
# cannot read them), and Maven 3 runs on Java 8 and up.
javac -nowarn --release 8 -encoding UTF-8 -d "$tmp/api4" \
	"$here"/src/api4/java/org/codehaus/plexus/components/secdispatcher/*.java
javac -nowarn --release 8 -encoding UTF-8 -cp "$tmp/api4:$MAVEN_HOME/lib/*" -d "$tmp/classes" \
	"$here"/src/main/java/io/github/cahelper/maven/*.java
cp -R "$here/src/main/resources/." "$tmp/classes/"
if [ -n "$helper_path" ]; then
	# java.util.Properties reads backslashes as escapes (Windows paths).
	printf 'path=%s\n' "$(printf '%s' "$helper_path" | sed 's/\\/\\\\/g')" \
		>"$tmp/classes/io/github/cahelper/maven/ca-helper.properties"
fi
printf 'Implementation-Title: ca-helper Maven extension\nImplementation-Version: %s\n' "$version" >"$tmp/manifest"
mkdir -p "$out"
jar --create --file "$tmp/$artifact.jar" --manifest "$tmp/manifest" -C "$tmp/classes" .
sed "s/@VERSION@/$version/" "$here/pom.xml" >"$tmp/$artifact.pom"
mv -f "$tmp/$artifact.jar" "$out/$artifact.jar"
mv -f "$tmp/$artifact.pom" "$out/$artifact.pom"
echo "$out/$artifact.jar"
