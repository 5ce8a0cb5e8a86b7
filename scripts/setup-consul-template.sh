#!/usr/bin/env bash
# Builds HashiCorp's consul-template from source through the Go module proxy and caches it outside
# the repository. The render tests compare `autopilot render` with it byte for byte.
#
#   bash scripts/setup-consul-template.sh   # last stdout line: path of the consul-template binary
#
# Environment: CONSUL_TEMPLATE_VERSION (default below), AUTOPILOT_CACHE (default
# ~/.cache/autopilot). With the binary already cached this only prints its path. An interrupted
# build leaves no half-written binary: it is built into a temporary path, checked, then renamed.
set -euo pipefail

version="${CONSUL_TEMPLATE_VERSION:-v0.41.1}"
version="v${version#v}"
# shellcheck source=lib/cached-build.sh
source "$(dirname "$0")/lib/cached-build.sh"
cached_build_begin setup-consul-template consul-template "$version" consul-template
echo "setup-consul-template: building consul-template $version from source (first run only; a few minutes)" >&2

# consul-template's go.mod has no replace directives, so `go install module@version` builds it
# exactly as its own module graph says (go.sum checked against the checksum database).
run_build env -C "$work" CGO_ENABLED=0 GOBIN="$work" GOFLAGS= go install -trimpath -ldflags='-s -w' \
  "github.com/hashicorp/consul-template@$version"
cached_build_finish -version
