#!/bin/sh
# The project's test command (README, .ci/run): static checks, then every test,
# with the keyring tests inside a private D-Bus session that runs an unlocked
# gnome-keyring, so they use a real Secret Service.
set -eu
cd "$(dirname "$0")"
self=$PWD/$(basename "$0")

# In CI every test must run: the verbose log is searched for skips, since a
# skipped keyring or Maven test there means .ci/run failed to install something.
log=${TMPDIR:-/tmp}/ca-helper-test.$$.log
run_tests() {
	if [ "${CI:-}" = true ]; then
		set +e
		go test -race -count=1 -v "$@" ./... >"$log" 2>&1
		rc=$?
		set -e
		if [ "$rc" -ne 0 ]; then
			grep -v -E '^(=== (RUN|PAUSE|CONT|NAME)|[[:space:]]*--- PASS)' "$log" >&2 || true
			rm -f "$log"
			exit "$rc"
		fi
		grep -E '^(ok|FAIL|\?)[[:space:]]' "$log" >&2 || true
		skipped=$(grep -E -- '--- SKIP' "$log" || true)
		rm -f "$log"
		if [ -n "$skipped" ]; then
			echo "test.sh: tests skipped in CI (each must run here):" >&2
			echo "$skipped" >&2
			exit 1
		fi
	else
		go test -race -count=1 "$@" ./...
	fi
}

# Second stage, inside the D-Bus session the first stage starts below.
if [ "${1:-}" = --in-keyring-session ]; then
	shift
	eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets)"
	export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
	run_tests "$@"
	exit 0
fi

echo "== go vet" >&2
go vet ./...
echo "== gofmt" >&2
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
	echo "test.sh: gofmt would change: $unformatted" >&2
	exit 1
fi
echo "== go mod tidy check" >&2
cp go.mod /tmp/ca-helper-go.mod.$$ && cp go.sum /tmp/ca-helper-go.sum.$$
go mod tidy
if ! cmp -s go.mod /tmp/ca-helper-go.mod.$$ || ! cmp -s go.sum /tmp/ca-helper-go.sum.$$; then
	cp /tmp/ca-helper-go.mod.$$ go.mod && cp /tmp/ca-helper-go.sum.$$ go.sum
	rm -f /tmp/ca-helper-go.mod.$$ /tmp/ca-helper-go.sum.$$
	echo "test.sh: go mod tidy changes go.mod/go.sum; run it and commit" >&2
	exit 1
fi
rm -f /tmp/ca-helper-go.mod.$$ /tmp/ca-helper-go.sum.$$

echo "== direct dependencies at their newest version" >&2
# Asks the module proxy; a failure to ask is fatal in CI and a warning elsewhere.
if stale=$(go list -m -u -f '{{if and (not .Main) (not .Indirect) .Update}}{{.Path}} {{.Version}} -> {{.Update.Version}}{{end}}' all); then
	if [ -n "$stale" ]; then
		echo "test.sh: direct dependencies have updates (go get -u them, then go mod tidy):" >&2
		echo "$stale" >&2
		exit 1
	fi
elif [ "${CI:-}" = true ]; then
	echo "test.sh: could not ask the module proxy for updates" >&2
	exit 1
else
	echo "test.sh: warning: could not check for module updates (offline?)" >&2
fi

echo "== cross builds" >&2
for target in linux/amd64 linux/arm64 darwin/arm64 darwin/amd64 windows/amd64; do
	GOOS=${target%/*} GOARCH=${target#*/} go build -o /dev/null . || {
		echo "test.sh: build for $target failed" >&2
		exit 1
	}
done

echo "== bench (quick)" >&2; bench/run --quick --out /tmp/ca-helper-bench-quick.md
echo "== go test -race (in a D-Bus session with gnome-keyring)" >&2
if command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1; then
	exec dbus-run-session -- "$self" --in-keyring-session "$@"
fi
if [ "${CI:-}" = true ]; then
	echo "test.sh: dbus-run-session or gnome-keyring-daemon missing; .ci/run installs them" >&2
	exit 1
fi
echo "test.sh: no gnome-keyring here: keyring tests will skip (apt-get install gnome-keyring libsecret-tools dbus-x11)" >&2
run_tests "$@"
