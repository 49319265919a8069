#!/bin/sh
# Offline demo: build ca-helper, start the fake CodeArtifact on 127.0.0.1, fetch a
# token, fetch it again from the cache, show status. No AWS account, no network.
set -eu
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'kill "$fake_pid" 2>/dev/null || true; rm -rf "$work"' EXIT INT TERM

go build -trimpath -tags urfave_cli_no_docs -o "$work/ca-helper" .
go build -trimpath -tags urfave_cli_no_docs -o "$work/ca-helper-aws" ./cmd/ca-helper-aws
go build -o "$work/fakeca" ./test/fakeca
"$work/fakeca" -addr 127.0.0.1:0 >"$work/fakeca.out" &
fake_pid=$!
i=0
until grep -q "listening on" "$work/fakeca.out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || { echo "demo.sh: the fake did not start" >&2; exit 1; }
	sleep 0.05
done
url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/fakeca.out")

export AWS_ACCESS_KEY_ID=AKIDDEMO AWS_SECRET_ACCESS_KEY=demo AWS_REGION=us-east-1 \
	AWS_ENDPOINT_URL_CODEARTIFACT=$url AWS_EC2_METADATA_DISABLED=true \
	AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
	CA_HELPER_CACHE=file CA_HELPER_CACHE_DIR=$work/cache
ca=$work/ca-helper

echo "fake CodeArtifact at $url"
echo "\$ ca-helper get --domain demo --domain-owner 111122223333    # first call: fetched"
tok=$("$ca" get --domain demo --domain-owner 111122223333)
echo "token: $(printf %s "$tok" | cut -c1-16)… (${#tok} characters)"
echo "\$ ca-helper get --domain demo --domain-owner 111122223333    # second call: cached"
tok2=$("$ca" get --domain demo --domain-owner 111122223333)
[ "$tok" = "$tok2" ] && echo "same token, served from the cache"
echo "\$ ca-helper status"
"$ca" status
