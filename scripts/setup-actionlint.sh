#!/usr/bin/env bash
# Builds actionlint (the linter for GitHub Actions workflow files) from source through the Go module
# proxy and caches it outside the repository. The tests lint .github/workflows/ with it.
#
#   bash scripts/setup-actionlint.sh   # last stdout line: path of the actionlint binary
#
# Environment: ACTIONLINT_VERSION (default below), AUTOPILOT_CACHE (default ~/.cache/autopilot).
set -euo pipefail

version="${ACTIONLINT_VERSION:-v1.7.12}"
version="v${version#v}"
# shellcheck source=lib/cached-build.sh
source "$(dirname "$0")/lib/cached-build.sh"
cached_build_begin setup-actionlint actionlint "$version" actionlint
echo "setup-actionlint: building actionlint $version from source (first run only; about a minute)" >&2
run_build env -C "$work" CGO_ENABLED=0 GOBIN="$work" GOFLAGS= go install -trimpath -ldflags='-s -w' \
  "github.com/rhysd/actionlint/cmd/actionlint@$version"
cached_build_finish -version
