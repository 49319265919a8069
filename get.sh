#!/bin/sh
# Install ca-helper from a GitHub release, no Go, Maven or JDK needed:
#   curl -fsSL https://github.com/ca-helper/ca-helper/releases/latest/download/get.sh | sh
#   curl -fsSL .../get.sh | sh -s -- --add-to-path        (arguments go to install.sh)
# It downloads ca-helper_OS_ARCH.tar.gz and SHA256SUMS of the release, refuses
# the archive unless its SHA-256 is the one SHA256SUMS lists (and then installs
# nothing), extracts it to a temporary directory and runs the archive's own
# install.sh, which puts everything into ${PREFIX:-$HOME/.local} as the source
# install does (PREFIX, --add-to-path and CA_HELPER_MAVEN_REPO work the same).
# Environment:
#   PREFIX=DIR                 install into DIR/bin, DIR/share (default ~/.local)
#   CA_HELPER_VERSION=1.2.3    that release (tag v1.2.3) instead of the latest
#   CA_HELPER_RELEASE_URL=URL  the directory the release files are in (a mirror);
#                              it wins over CA_HELPER_VERSION
# Needs: uname, curl or wget, sha256sum or shasum, tar (with gzip), mktemp.
# POSIX sh, no root.
set -eu

say() { printf 'get.sh: %s\n' "$1" >&2; }

# die ERROR HINT: the one-line error and its hint, then exit 1.
die() {
	printf 'get.sh: error: %s\n' "$1" >&2
	printf 'get.sh: hint: %s\n' "$2" >&2
	exit 1
}

have() { command -v "$1" >/dev/null 2>&1; }

releases=https://github.com/ca-helper/ca-helper/releases

# platform prints OS_ARCH as the release names its archives.
platform() {
	os=$(uname -s)
	case $os in
	Linux) os=linux ;;
	Darwin) os=darwin ;;
	MINGW* | MSYS* | CYGWIN* | Windows*)
		die "get.sh does not install on Windows ($os)" \
			"download ca-helper_windows_amd64.zip from $releases, unzip it and put its bin on PATH"
		;;
	*) die "no ca-helper release for the system $os" "install from source (Go 1.26+): git clone https://github.com/ca-helper/ca-helper && cd ca-helper && ./install.sh" ;;
	esac
	arch=$(uname -m)
	case $arch in
	x86_64 | amd64)
		arch=amd64
		# An x86_64 shell on Apple silicon (Rosetta) gets the native build.
		if [ "$os" = darwin ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]; then
			arch=arm64
		fi
		;;
	aarch64 | arm64) arch=arm64 ;;
	*) die "no ca-helper release for the machine $arch ($os)" "install from source (Go 1.26+): git clone https://github.com/ca-helper/ca-helper && cd ca-helper && ./install.sh" ;;
	esac
	echo "${os}_$arch"
}

# download URL FILE, failing on an HTTP error.
download() {
	if have curl; then
		curl -fsSL --retry 2 -o "$2" "$1"
	else
		wget -q -O "$2" "$1"
	fi
}

# sha256 FILE prints the file's SHA-256 in lower-case hex.
sha256() {
	if have sha256sum; then
		sum=$(sha256sum <"$1")
	else
		sum=$(shasum -a 256 <"$1")
	fi
	echo "${sum%% *}" | tr 'A-F' 'a-f'
}

# check_tools: refuse before any download when a needed tool is missing.
check_tools() {
	have curl || have wget ||
		die "neither curl nor wget is on PATH" "install curl (or wget) and run get.sh again"
	have sha256sum || have shasum ||
		die "neither sha256sum nor shasum is on PATH: cannot check the download's checksum" "install coreutils (sha256sum) or perl (shasum) and run get.sh again"
	have tar || die "tar is not on PATH" "install tar and gzip and run get.sh again"
}

main() {
	base=${CA_HELPER_RELEASE_URL:-}
	if [ -n "$base" ]; then
		[ -z "${CA_HELPER_VERSION:-}" ] || say "CA_HELPER_RELEASE_URL is set: ignoring CA_HELPER_VERSION=$CA_HELPER_VERSION"
	elif [ -n "${CA_HELPER_VERSION:-}" ]; then
		base=$releases/download/v${CA_HELPER_VERSION#v}
	else
		base=$releases/latest/download
	fi
	base=${base%/}
	os_arch=$(platform)
	archive=ca-helper_$os_arch.tar.gz
	check_tools

	tmp=$(mktemp -d 2>/dev/null || mktemp -d -t ca-helper)
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM

	say "downloading $base/$archive"
	download "$base/$archive" "$tmp/$archive" ||
		die "could not download $base/$archive" "check the network and the version (releases: $releases); CA_HELPER_VERSION=vX.Y.Z picks one"
	download "$base/SHA256SUMS" "$tmp/SHA256SUMS" ||
		die "could not download $base/SHA256SUMS: the archive's checksum cannot be checked" "check the network, or download and check the release by hand from $releases"

	# The line "HASH  NAME" (or "HASH *NAME", binary mode) of this archive.
	name_re=$(printf '%s' "$archive" | sed 's/[.]/\\./g')
	want=$(sed -n "s/^\([0-9a-fA-F]\{64\}\) [ *]$name_re\$/\1/p" "$tmp/SHA256SUMS" | head -n 1 | tr 'A-F' 'a-f')
	[ -n "$want" ] ||
		die "SHA256SUMS has no checksum for $archive: refusing to install it" "the release is incomplete or not ca-helper's; download it from $releases"
	got=$(sha256 "$tmp/$archive")
	[ "$got" = "$want" ] ||
		die "checksum mismatch for $archive: SHA-256 $got, SHA256SUMS says $want; installed nothing" "the download was damaged or altered: run get.sh again, or check $base"
	say "checksum OK ($archive)"

	mkdir "$tmp/x"
	case $archive in
	*.zip) unzip -q "$tmp/$archive" -d "$tmp/x" ;;
	*) tar -xzf "$tmp/$archive" -C "$tmp/x" ;;
	esac
	dir=
	for d in "$tmp"/x/*; do
		if [ -f "$d/install.sh" ]; then dir=$d; fi
	done
	[ -n "$dir" ] || die "$archive holds no install.sh" "the release is not ca-helper's; download it from $releases"

	# On a terminal (stdin is this script when piped to sh), install.sh may
	# ask whether to add PREFIX/bin to the shell's profile.
	if [ ! -t 0 ] && (: </dev/tty) 2>/dev/null; then
		sh "$dir/install.sh" "$@" </dev/tty
	else
		sh "$dir/install.sh" "$@"
	fi
}

# Everything runs from here, so a download cut short runs nothing.
main "$@"
