#!/usr/bin/env bash
# Prints the path of SeaweedFS's `weed` binary (an S3-compatible object
# store, Apache-2.0), building it once from the Go module proxy and caching it
# outside the repository: ${ZL_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/zhilian}.
# The first build takes minutes (a 2-core machine: about 6); later calls
# answer at once. Exit 3: no Go toolchain to build it with.
set -euo pipefail

VERSION=v0.0.0-20261109003541-7506e5f91cd6
cache="${ZL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/zhilian}"
bin="$cache/seaweedfs-$VERSION/weed"

if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
if ! command -v go >/dev/null 2>&1; then
  echo "s3-server: no Go toolchain to build SeaweedFS with" >&2
  exit 3
fi
mkdir -p "$cache"
exec 9>"$cache/seaweedfs.lock"
flock 9 # one build at a time; the others wait and reuse it
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi

echo "s3-server: building SeaweedFS $VERSION once (several minutes), cached in $cache" >&2
src=$(GOFLAGS=-mod=mod go mod download -json "github.com/seaweedfs/seaweedfs@$VERSION" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
if [ -z "$src" ] || [ ! -d "$src" ]; then
  echo "s3-server: could not download SeaweedFS $VERSION" >&2
  exit 1
fi
work=$(mktemp -d "$cache/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -R "$src/." "$work/src" # the module cache is read-only; build in a copy
chmod -R u+w "$work/src"
(cd "$work/src" && GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$work/weed" ./weed)
mkdir -p "$(dirname "$bin")"
mv "$work/weed" "$bin"
echo "$bin"
