#!/bin/sh
# Build ca-helper from this checkout and install it, mvnw-ca and the
# git-credential-codeartifact link into ${PREFIX:-$HOME/.local}/bin.
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
pkg=github.com/ca-helper/ca-helper/helper

mkdir -p "$bindir"
tmp=$(mktemp -d "$bindir/.ca-helper.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
echo "install.sh: building ca-helper $version" >&2
# ca-helper answers from the cache without the AWS SDK; ca-helper-aws (the same
# CLI with the SDK linked in) makes the AWS calls. Both must come from one build.
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
case ":$PATH:" in
*":$bindir:"*) ;;
*) echo "install.sh: hint: add it to PATH, e.g. echo 'export PATH=\"$bindir:\$PATH\"' >> ~/.profile" >&2 ;;
esac
