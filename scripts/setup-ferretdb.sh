#!/usr/bin/env bash
# Builds FerretDB (a MongoDB-wire-compatible server; v1 has an embedded SQLite backend, so it needs
# no other database) from source through the Go module proxy and caches it outside the repository.
# The todo-api e2e puts it behind a `mongod` stand-in, since no MongoDB image can be pulled here.
#
#   bash scripts/setup-ferretdb.sh      # last stdout line: path of the ferretdb binary
#
# Environment: FERRETDB_VERSION (default below; a v1 release), AUTOPILOT_CACHE (default
# ~/.cache/autopilot). With the binary already cached this only prints its path. An interrupted
# build leaves no half-written binary: it is built into a temporary path, checked, then renamed.
set -euo pipefail

version="${FERRETDB_VERSION:-v1.24.0}"
version="v${version#v}"
# shellcheck source=lib/cached-build.sh
source "$(dirname "$0")/lib/cached-build.sh"
cached_build_begin setup-ferretdb ferretdb "$version" ferretdb
echo "setup-ferretdb: building FerretDB $version from source (first run only; a few minutes)" >&2

# FerretDB's go.mod has no replace lines, but `go install ...@version` is not enough: its
# build/version package panics at start-up unless a generated build/version/version.txt is
# embedded, and the module zip lacks it. So: build in a writable copy of the module's source with
# that file added (go.sum ships in the module and is verified against the checksum database).
# CGO_ENABLED=0: SQLite is the pure-Go modernc.org/sqlite, so the binary is static.
src="$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@$version" \
  | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
[[ -d "$src" ]] || { echo "setup-ferretdb: could not download github.com/FerretDB/FerretDB@$version" >&2; exit 1; }
cp -r "$src" "$work/src"
chmod -R u+w "$work/src"
echo "$version" >"$work/src/build/version/version.txt"
echo "source" >"$work/src/build/version/package.txt"
run_build env -C "$work/src" CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags='-s -w' \
  -o "$work/ferretdb" ./cmd/ferretdb
cached_build_finish --version
