#!/usr/bin/env bash
# Builds a static Consul binary from source through the Go module proxy and caches it outside the
# repository. Consul is packaged neither by Debian nor by npm, and release downloads are not
# reachable, so the tests get their real Consul this way.
#
#   bash scripts/setup-consul.sh        # last stdout line: path of the consul binary
#
# Environment: CONSUL_VERSION (default below), AUTOPILOT_CACHE (default ~/.cache/autopilot).
# With the binary already cached this only checks the file and prints its path. Interrupting a
# build leaves no half-written binary: it is built into a temporary path, checked, then renamed.
set -euo pipefail

version="${CONSUL_VERSION:-v1.22.5}"
version="v${version#v}"
# shellcheck source=lib/cached-build.sh
source "$(dirname "$0")/lib/cached-build.sh"
cached_build_begin setup-consul consul "$version" consul
echo "setup-consul: building Consul $version from source (first run only; about 20 minutes on 2 cores)" >&2

# Consul's own go.mod: its submodules (api, sdk, ...) are `replace`d with local directories,
# which a dependent module ignores, so require them at the versions it names instead; its
# non-local replace and exclude lines are also ignored in a dependency, so copy them.
upstream_mod="$(upstream_gomod "github.com/hashicorp/consul@$version")"

{
  echo "module autopilot.local/consul-build"
  echo
  echo "go $(go env GOVERSION | sed 's/^go\([0-9]*\.[0-9]*\).*/\1/')"
  echo
  echo "require github.com/hashicorp/consul $version"
  echo
  echo "require ("
  grep -E '^[[:space:]]*github\.com/hashicorp/consul/[a-z/-]+ v[^ ]+' "$upstream_mod" \
    | awk '{ print "\t" $1 " " $2 }' | sort -u
  echo ")"
  echo
  inherited_directives "$upstream_mod"
} >"$work/go.mod"

# -mod=mod lets the go command fill in go.sum (verified against the checksum database).
run_build env -C "$work" CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags='-s -w' \
  -o "$work/consul" github.com/hashicorp/consul
cached_build_finish version
