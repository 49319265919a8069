#!/bin/sh
# Build ca-helper from this checkout and install it, mvnw-ca and the
# git-credential-codeartifact link into ${PREFIX:-$HOME/.local}/bin.
# With Maven and a JDK present it also builds the Maven extension (offline)
# into PREFIX/share/ca-helper, where `ca-helper maven install` finds it, and
# into the local Maven repository, where a project's .mvn/extensions.xml finds
# it; CA_HELPER_MAVEN_EXT_DIR=DIR also copies it into DIR (a Maven lib/ext).
# POSIX sh, no root needed, safe to run again (it replaces what it installed).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-$HOME/.local}
bindir=$prefix/bin

if ! command -v go >/dev/null 2>&1; then
	echo "install.sh: error: Go is not on PATH" >&2
	echo "install.sh: hint: install Go 1.26 or newer from https://go.dev/dl/ and run ./install.sh again" >&2
	exit 1
fi

version=$(git -C "$here" describe --tags --always --dirty 2>/dev/null || echo dev)
commit=$(git -C "$here" rev-parse --short=12 HEAD 2>/dev/null || echo "")
pkg=github.com/ca-helper/ca-helper/helper/command

mkdir -p "$bindir"
tmp=$(mktemp -d "$bindir/.ca-helper.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
echo "install.sh: building ca-helper $version" >&2
# ca-helper answers from the cache without the AWS SDK; ca-helper-aws (the
# half with the SDK linked in) makes the AWS calls. Both must come from one build.
for target in ca-helper:. ca-helper-aws:./cmd/ca-helper-aws; do
	name=${target%%:*}
	(cd "$here" && CGO_ENABLED=0 go build -trimpath -tags urfave_cli_no_docs \
		-ldflags "-s -w -X $pkg.version=$version -X $pkg.commit=$commit" -o "$tmp/$name" "${target#*:}")
done
chmod 0755 "$tmp/ca-helper" "$tmp/ca-helper-aws"
mv -f "$tmp/ca-helper-aws" "$bindir/ca-helper-aws"
mv -f "$tmp/ca-helper" "$bindir/ca-helper"
rm -rf "$tmp"
trap - EXIT INT TERM

cp "$here/mvnw-ca" "$bindir/mvnw-ca.tmp.$$"
chmod 0755 "$bindir/mvnw-ca.tmp.$$"
mv -f "$bindir/mvnw-ca.tmp.$$" "$bindir/mvnw-ca"
ln -sf ca-helper "$bindir/git-credential-codeartifact"
ln -sf ca-helper "$bindir/bazel-credential-codeartifact"

echo "install.sh: installed ca-helper, ca-helper-aws, mvnw-ca, git-credential-codeartifact and bazel-credential-codeartifact into $bindir" >&2

# local_repo prints the Maven local repository: CA_HELPER_MAVEN_REPO, else
# <localRepository> of ~/.m2/settings.xml, else ~/.m2/repository.
local_repo() {
	if [ -n "${CA_HELPER_MAVEN_REPO:-}" ]; then
		echo "$CA_HELPER_MAVEN_REPO"
		return
	fi
	r=$(sed -n 's:.*<localRepository>[[:space:]]*\([^<]*[^<[:space:]]\)[[:space:]]*</localRepository>.*:\1:p' \
		"$HOME/.m2/settings.xml" 2>/dev/null | head -n 1)
	case $r in
	'${user.home}'*) r=$HOME${r#'${user.home}'} ;;
	esac
	echo "${r:-$HOME/.m2/repository}"
}

# temp_root DIR: the temporary directory DIR is in ($TMPDIR, /tmp or
# /var/tmp; the innermost), cleaned sooner or later; empty if none.
temp_root() {
	best=
	for r in "${TMPDIR:-}" /tmp /var/tmp; do
		r=${r%/}
		[ -n "$r" ] || continue
		case "$1/" in
		"$r"/*) [ ${#r} -le ${#best} ] || best=$r ;;
		esac
	done
	echo "$best"
}

# outlives PREFIX REPO: REPO is not inside the temporary directory PREFIX is in.
outlives() {
	root=$(temp_root "$1")
	[ -n "$root" ] || return 1
	case "$2/" in
	"$root"/*) return 1 ;;
	esac
	return 0
}

# put_file SRC DIR NAME: copy atomically, so a running Maven never reads half a jar.
put_file() {
	mkdir -p "$2"
	cp "$1" "$2/.$3.tmp.$$"
	chmod 0644 "$2/.$3.tmp.$$"
	mv -f "$2/.$3.tmp.$$" "$2/$3"
}

if command -v mvn >/dev/null 2>&1 && command -v javac >/dev/null 2>&1; then
	jar=$("$here/maven-extension/build.sh" "$prefix/share/ca-helper" "$bindir/ca-helper")
	base=$(basename "$jar" .jar)                 # ca-helper-maven-extension-VERSION
	ext_version=${base#ca-helper-maven-extension-}
	repo=$(local_repo)
	repo_dir=$repo/io/github/ca-helper/ca-helper-maven-extension/$ext_version
	if outlives "$prefix" "$repo"; then
		# The jar remembers PREFIX/bin/ca-helper: in a lasting local repository it
		# would name a ca-helper that is gone once the temp dir is cleaned, and
		# every plain mvn would stop.
		echo "install.sh: warning: PREFIX $prefix is temporary: the Maven extension stays in $prefix/share/ca-helper, not in $repo (set CA_HELPER_MAVEN_REPO to put it elsewhere)" >&2
	else
		put_file "$jar" "$repo_dir" "$base.jar"
		put_file "${jar%.jar}.pom" "$repo_dir" "$base.pom"
		echo "install.sh: installed the Maven extension into $repo_dir (for .mvn/extensions.xml)" >&2
	fi
	if [ -n "${CA_HELPER_MAVEN_EXT_DIR:-}" ]; then
		put_file "$jar" "$CA_HELPER_MAVEN_EXT_DIR" ca-helper-maven-extension.jar
		echo "install.sh: installed the Maven extension into $CA_HELPER_MAVEN_EXT_DIR (every project of that Maven)" >&2
	fi
	if grep -q '^# >>> ca-helper' "$HOME/.mavenrc" 2>/dev/null || [ -f "$HOME/.m2/ext/ca-helper-maven-extension.jar" ]; then
		# Set up before: refresh the copies of the jar it made.
		"$bindir/ca-helper" maven install >/dev/null ||
			echo "install.sh: warning: \`ca-helper maven install\` failed (above): your Mavens keep the extension they had" >&2
	else
		echo "install.sh: next: run \`$bindir/ca-helper maven install\` so every Maven of yours (mvn, ./mvnw, IntelliJ's bundled Maven) loads the extension" >&2
	fi
else
	echo "install.sh: Maven or javac not found: skipped the Maven extension (mvnw-ca and MVN_TOKEN=\$(ca-helper get) need none)" >&2
fi
case ":$PATH:" in
*":$bindir:"*) ;;
*) echo "install.sh: hint: add it to PATH, e.g. echo 'export PATH=\"$bindir:\$PATH\"' >> ~/.profile" >&2 ;;
esac
