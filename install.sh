#!/bin/sh
# Build ca-helper from this checkout and install it, mvnw-ca and the
# git-credential-codeartifact link into ${PREFIX:-$HOME/.local}/bin.
# Run from an extracted release archive (bin/ca-helper and the extension jar
# under share/ca-helper, no go.mod) it installs those prebuilt files instead:
# no Go, Maven or JDK needed, and the same files land in the same places.
# With Maven and a JDK present it also builds the Maven extension (offline; a
# release brings it built) into PREFIX/share/ca-helper, where `ca-helper maven
# install` finds it, and into the local Maven repository, where a project's
# .mvn/extensions.xml finds it; CA_HELPER_MAVEN_EXT_DIR=DIR also copies it into DIR (a Maven lib/ext).
# It also installs shell completions for bash, zsh and fish where each shell
# loads them for a user. When PREFIX/bin is not on PATH it prints the line that
# puts it there for the current shell and offers (on a terminal only, default
# no) to add that line to the shell's profile; --add-to-path adds it without
# asking. POSIX sh, no root needed, safe to run again (it replaces what it
# installed and adds the profile line once).
#   usage: ./install.sh [--add-to-path]
set -eu

add_to_path=
for arg in "$@"; do
	case $arg in
	--add-to-path) add_to_path=yes ;;
	-h | --help)
		echo "usage: ./install.sh [--add-to-path]   (PREFIX=DIR to install into DIR/bin; default ~/.local)"
		exit 0
		;;
	*)
		echo "install.sh: error: unknown argument $arg" >&2
		echo "install.sh: hint: usage: ./install.sh [--add-to-path]" >&2
		exit 2
		;;
	esac
done

here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-$HOME/.local}
bindir=$prefix/bin

# release: the prebuilt extension jar when this is an extracted release.
release=
if [ ! -f "$here/go.mod" ] && [ -f "$here/bin/ca-helper" ]; then
	for j in "$here"/share/ca-helper/ca-helper-maven-extension-*.jar; do
		if [ -f "$j" ]; then release=$j; fi
	done
fi

if [ -z "$release" ] && ! command -v go >/dev/null 2>&1; then
	echo "install.sh: error: Go is not on PATH" >&2
	echo "install.sh: hint: install Go 1.26 or newer from https://go.dev/dl/ and run ./install.sh again" >&2
	exit 1
fi

if [ -n "$release" ]; then
	if ! built=$("$here/bin/ca-helper" version 2>/dev/null); then
		echo "install.sh: error: $here/bin/ca-helper does not run on this machine ($(uname -s) $(uname -m))" >&2
		echo "install.sh: hint: download the archive for this system from https://github.com/ca-helper/ca-helper/releases" >&2
		exit 1
	fi
	built=$(printf '%s\n' "$built" | head -n 1)
fi

mkdir -p "$bindir"
tmp=$(mktemp -d "$bindir/.ca-helper.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
if [ -n "$release" ]; then
	echo "install.sh: installing ${built:-ca-helper} from $here" >&2
	cp "$here/bin/ca-helper" "$here/bin/ca-helper-aws" "$tmp/"
else
	version=$(git -C "$here" describe --tags --always --dirty 2>/dev/null || echo dev)
	commit=$(git -C "$here" rev-parse --short=12 HEAD 2>/dev/null || echo "")
	# The commit's time, UTC RFC 3339, as `ca-helper version` prints it.
	date=$(TZ=UTC git -C "$here" log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ 2>/dev/null || echo "")
	pkg=github.com/ca-helper/ca-helper/helper/command
	echo "install.sh: building ca-helper $version" >&2
	# ca-helper answers from the cache without the AWS SDK; ca-helper-aws (the
	# half with the SDK linked in) makes the AWS calls. Both must come from one build.
	for target in ca-helper:. ca-helper-aws:./cmd/ca-helper-aws; do
		name=${target%%:*}
		(cd "$here" && CGO_ENABLED=0 go build -trimpath -tags urfave_cli_no_docs \
			-ldflags "-s -w -X $pkg.version=$version -X $pkg.commit=$commit -X $pkg.date=$date" -o "$tmp/$name" "${target#*:}")
	done
fi
chmod 0755 "$tmp/ca-helper" "$tmp/ca-helper-aws"
mv -f "$tmp/ca-helper-aws" "$bindir/ca-helper-aws"
mv -f "$tmp/ca-helper" "$bindir/ca-helper"
rm -rf "$tmp"
trap - EXIT INT TERM

wrapper=$here/mvnw-ca
[ -z "$release" ] || wrapper=$here/bin/mvnw-ca
cp "$wrapper" "$bindir/mvnw-ca.tmp.$$"
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

# install_extension JAR: put the jar in PREFIX/share/ca-helper (and its .pom
# next to it) where Maven finds it: the local repository, CA_HELPER_MAVEN_EXT_DIR,
# and the copies an earlier `ca-helper maven install` made.
install_extension() {
	jar=$1
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
}

if [ -n "$release" ]; then
	# The release's jar names no ca-helper: the copy remembers this one, as
	# build.sh's CA_HELPER_PATH does for a source install.
	base=$(basename "$release" .jar)
	"$bindir/ca-helper" maven stamp --path "$bindir/ca-helper" "$release" "$prefix/share/ca-helper/$base.jar"
	put_file "${release%.jar}.pom" "$prefix/share/ca-helper" "$base.pom"
	install_extension "$prefix/share/ca-helper/$base.jar"
elif command -v mvn >/dev/null 2>&1 && command -v javac >/dev/null 2>&1; then
	jar=$("$here/maven-extension/build.sh" "$prefix/share/ca-helper" "$bindir/ca-helper")
	install_extension "$jar"
else
	echo "install.sh: Maven or javac not found: skipped the Maven extension (mvnw-ca and MVN_TOKEN=\$(ca-helper get) need none)" >&2
fi

# --- shell completions ----------------------------------------------------------
# put_completion SHELL FILE: write `ca-helper completion SHELL` to FILE, atomically.
put_completion() {
	mkdir -p "$(dirname "$2")"
	if "$bindir/ca-helper" completion "$1" >"$2.tmp.$$" 2>/dev/null && [ -s "$2.tmp.$$" ]; then
		chmod 0644 "$2.tmp.$$"
		mv -f "$2.tmp.$$" "$2"
	else
		rm -f "$2.tmp.$$"
		return 1
	fi
}
data_home=${XDG_DATA_HOME:-$HOME/.local/share}
config_home=${XDG_CONFIG_HOME:-$HOME/.config}
if "$bindir/ca-helper" completion bash >/dev/null 2>&1; then
	put_completion bash "$data_home/bash-completion/completions/ca-helper" &&
		put_completion zsh "$data_home/zsh/site-functions/_ca-helper" &&
		put_completion fish "$config_home/fish/completions/ca-helper.fish" &&
		echo "install.sh: installed shell completions for bash, zsh and fish (zsh: $data_home/zsh/site-functions must be on fpath)" >&2 ||
		echo "install.sh: warning: could not install every shell completion" >&2
else
	echo "install.sh: this ca-helper has no completion command: skipped shell completions" >&2
fi

# --- PATH -----------------------------------------------------------------------
# The line that puts bindir on PATH for the user's shell ($SHELL), and the
# profile file that shell reads at start-up.
shell_name=$(basename "${SHELL:-sh}")
case $bindir in
"$HOME"/*) path_dir="\$HOME/${bindir#"$HOME"/}" ;; # written as $HOME/…, so the line survives a renamed home
*) path_dir=$bindir ;;
esac
case $shell_name in
fish)
	path_line="fish_add_path \"$path_dir\""
	profile=$config_home/fish/config.fish
	;;
bash)
	path_line="export PATH=\"$path_dir:\$PATH\""
	profile=$HOME/.bashrc
	;;
zsh)
	path_line="export PATH=\"$path_dir:\$PATH\""
	profile=${ZDOTDIR:-$HOME}/.zshrc
	;;
*)
	path_line="export PATH=\"$path_dir:\$PATH\""
	profile=$HOME/.profile
	;;
esac
marker="# added by ca-helper install.sh"
marked_line="$path_line  $marker"

# add_path_line: append the marked line to the profile, once.
add_path_line() {
	case $bindir in
	*[\"\`\\]* | *"\$"*)
		echo "install.sh: warning: $bindir has characters a profile line would change: not adding it to $profile" >&2
		return 0
		;;
	esac
	if grep -qxF "$marked_line" "$profile" 2>/dev/null; then
		echo "install.sh: $profile already puts $bindir on PATH" >&2
		return 0
	fi
	mkdir -p "$(dirname "$profile")"
	printf '%s\n' "$marked_line" >>"$profile"
	echo "install.sh: added to $profile: $path_line" >&2
}

on_path=
case ":$PATH:" in
*":$bindir:"*) on_path=yes ;;
esac
if [ -z "$on_path" ]; then
	echo "install.sh: hint: $bindir is not on PATH; add it to PATH in this shell with:" >&2
	echo "" >&2
	echo "    $path_line" >&2
	echo "" >&2
fi
if [ -n "$add_to_path" ]; then
	add_path_line
elif [ -z "$on_path" ]; then
	if grep -qxF "$marked_line" "$profile" 2>/dev/null; then
		echo "install.sh: new shells get it from $profile" >&2
	elif [ -t 0 ] && [ -t 2 ] && [ "${CI:-}" != true ]; then
		printf 'install.sh: add that line to %s for new shells? [y/N] ' "$profile" >&2
		answer=
		read -r answer || answer=
		case $answer in
		[yY] | [yY][eE][sS]) add_path_line ;;
		*) echo "install.sh: left $profile alone (./install.sh --add-to-path adds the line)" >&2 ;;
		esac
	else
		echo "install.sh: for new shells, add that line to $profile, or run ./install.sh --add-to-path" >&2
	fi
fi
