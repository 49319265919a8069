#!/bin/sh
# The project's test command (README, .ci/run): static checks, the quick bench,
# then every test, with the keyring tests on a private D-Bus session that runs a
# throwaway gnome-keyring, so they use a real Secret Service.
#
#   ./test.sh [go test flags, e.g. -run TestGet]
#   ./test.sh --checks        only the checks that need no test run
#   ./test.sh --no-bench -run TestX   skip the quick bench (a focused run while
#                             working; the full command, and CI, run it)
#
# Hermetic: everything below runs with a temporary HOME, XDG dirs, TMPDIR,
# Maven user.home, AWS, git and cargo config, removed at the end. Only the Go
# build and module caches (and rustup's and pyenv's toolchains) are shared with
# the machine, found before HOME moves. Nothing asks a registry what it
# published today: scripts/deps reports dependency updates separately.
# Ends with "tests: N passed, N failed, N skipped"; in CI (CI=true) a skipped
# test is a failure, since .ci/run installs what every test needs.
set -eu
cd "$(dirname "$0")"
root=$PWD

# Stage 2, inside the D-Bus session that stage 1 starts: unlock a new keyring
# (its files go to the sandbox's XDG_DATA_HOME) and run the tests, naming the
# bus so keyring tests know it is this private one.
if [ "${1:-}" = --in-keyring-session ]; then
	shift
	eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets)"
	export GNOME_KEYRING_CONTROL
	CA_HELPER_TEST_BUS=$DBUS_SESSION_BUS_ADDRESS
	export CA_HELPER_TEST_BUS
	exec "$TESTSUM" $TESTSUM_FLAGS go test -race -count=1 -timeout 40m -json "$@" ./...
fi

# --- the sandbox --------------------------------------------------------------
# Pin where the toolchains keep their caches and settings before HOME moves.
GOENV=$(go env GOENV) GOPATH=$(go env GOPATH) GOCACHE=$(go env GOCACHE) GOMODCACHE=$(go env GOMODCACHE)
export GOENV GOPATH GOCACHE GOMODCACHE
if [ -z "${RUSTUP_HOME:-}" ] && [ -d "$HOME/.rustup" ]; then export RUSTUP_HOME="$HOME/.rustup"; fi
if [ -z "${PYENV_ROOT:-}" ] && [ -d "$HOME/.pyenv" ]; then export PYENV_ROOT="$HOME/.pyenv"; fi

sandbox=$(mktemp -d "${TMPDIR:-/tmp}/cht.XXXXXX")
trap 'rm -rf "$sandbox"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$sandbox/home/.config" "$sandbox/home/.cache" "$sandbox/home/.local/share" \
	"$sandbox/home/.local/state" "$sandbox/run" "$sandbox/tmp"
chmod 0700 "$sandbox/run"

# Nothing of the caller's AWS, CodeArtifact, ca-helper or desktop session setup
# may reach a test.
# (CA_HELPER_TEST_* are the suite's own settings, such as CA_HELPER_TEST_MAVENS.)
for var in $(env | grep -v '^CA_HELPER_TEST_' | sed -n -E 's/^((AWS|CODEARTIFACT|CA_HELPER|MAVEN)_[A-Za-z0-9_]*)=.*/\1/p'); do
	unset "$var"
done
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL CARGO_HOME M2_HOME 2>/dev/null || true

export HOME="$sandbox/home" TMPDIR="$sandbox/tmp" XDG_RUNTIME_DIR="$sandbox/run"
export XDG_CONFIG_HOME="$HOME/.config" XDG_CACHE_HOME="$HOME/.cache" \
	XDG_DATA_HOME="$HOME/.local/share" XDG_STATE_HOME="$HOME/.local/state"
export AWS_CONFIG_FILE="$HOME/.aws/config" AWS_SHARED_CREDENTIALS_FILE="$HOME/.aws/credentials"
export GIT_CONFIG_GLOBAL="$HOME/.gitconfig" GIT_CONFIG_NOSYSTEM=1
export MAVEN_OPTS="-Duser.home=$HOME" # Java takes its home from passwd, not $HOME

# --- checks that depend only on the checkout ----------------------------------
echo "== go vet" >&2
go vet ./...
echo "== gofmt" >&2
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
	echo "test.sh: gofmt would change: $unformatted" >&2
	exit 1
fi
echo "== go mod tidy changes nothing" >&2
if ! go mod tidy -diff >"$sandbox/tidy.diff" 2>&1; then
	cat "$sandbox/tidy.diff" >&2
	echo "test.sh: go mod tidy would change go.mod/go.sum; run it and commit" >&2
	exit 1
fi
echo "== cross builds" >&2
for target in linux/amd64 linux/arm64 darwin/arm64 darwin/amd64 windows/amd64; do
	GOOS=${target%/*} GOARCH=${target#*/} go build -o /dev/null . || {
		echo "test.sh: build for $target failed" >&2
		exit 1
	}
done

[ "${1:-}" != --checks ] || exit 0

if [ "${1:-}" = --no-bench ]; then
	shift
else
	echo "== bench (quick)" >&2
	bench/run --quick --out "$sandbox/bench-quick.md"
fi

# --- the tests ------------------------------------------------------------------
# go test runs with -timeout 40m: the end-to-end package alone takes 8-10 min on
# two cores, which is go test's default limit.
TESTSUM=$sandbox/testsum TESTSUM_FLAGS=
[ "${CI:-}" != true ] || TESTSUM_FLAGS=-no-skips
export TESTSUM TESTSUM_FLAGS
go build -o "$TESTSUM" ./test/testsum
if command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1; then
	echo "== go test -race (on a private D-Bus session with a throwaway gnome-keyring)" >&2
	dbus-run-session -- "$root/test.sh" --in-keyring-session "$@"
	exit
fi
echo "test.sh: no dbus-run-session or gnome-keyring-daemon: the keyring tests will skip" \
	"(fix: apt-get install -y gnome-keyring libsecret-tools dbus-x11)" >&2
echo "== go test -race" >&2
"$TESTSUM" $TESTSUM_FLAGS go test -race -count=1 -timeout 40m -json "$@" ./...
