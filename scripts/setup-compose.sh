#!/usr/bin/env bash
# Builds Docker Compose v2 (the `docker compose` CLI plugin) from source through the Go module
# proxy, caches it outside the repository and installs it as a docker CLI plugin. Debian bookworm
# packages only Compose v1 (`docker-compose`), and release downloads are not reachable; the e2e
# runs the blueprints under both, as users do.
#
#   bash scripts/setup-compose.sh        # last stdout line: path of the plugin binary
#
# Environment: COMPOSE_VERSION (default below), AUTOPILOT_CACHE (default ~/.cache/autopilot),
# COMPOSE_PLUGIN_DIR (default /usr/local/lib/docker/cli-plugins as root, else
# ${DOCKER_CONFIG:-~/.docker}/cli-plugins: both are on every docker CLI's plugin path).
# Idempotent: with the binary cached this only (re)links the plugin and prints its path.
set -euo pipefail

version="${COMPOSE_VERSION:-v5.6.0}"
version="v${version#v}"
# The module path carries the major version (github.com/docker/compose/v5 for v5.x).
module="github.com/docker/compose/${version%%.*}"

# The build runs in a subshell: cached_build_begin exits (0) there when the binary is cached.
shopt -s inherit_errexit
bin="$(
  # shellcheck source=lib/cached-build.sh
  source "$(dirname "$0")/lib/cached-build.sh"
  cached_build_begin setup-compose compose "$version" docker-compose
  echo "setup-compose: building Docker Compose $version from source (first run only; a few minutes)" >&2
  # `go install module@version` refuses Compose (its go.mod has exclude lines), so a throw-away
  # module requires it and copies them. Its main package is ./cmd; the version is stamped the way
  # its Makefile does, or `docker compose version` would print none.
  upstream_mod="$(upstream_gomod "$module@$version")"
  {
    printf 'module autopilot.local/compose-build\n\ngo %s\n\nrequire %s %s\n\n' \
      "$(sed -n 's/^go //p' "$upstream_mod")" "$module" "$version"
    inherited_directives "$upstream_mod"
  } >"$work/go.mod"
  # -mod=mod lets the go command fill in go.sum (verified against the checksum database).
  run_build env -C "$work" CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath \
    -ldflags="-s -w -X $module/internal.Version=$version" -o "$work/docker-compose" "$module/cmd"
  cached_build_finish version
)"
bin="$(tail -n 1 <<<"$bin")"

if [[ -n "${COMPOSE_PLUGIN_DIR:-}" ]]; then
  plugin_dir="$COMPOSE_PLUGIN_DIR"
elif ((EUID == 0)); then
  plugin_dir=/usr/local/lib/docker/cli-plugins
else
  plugin_dir="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"
fi
mkdir -p "$plugin_dir"
ln -sfn "$bin" "$plugin_dir/docker-compose"
echo "setup-compose: $plugin_dir/docker-compose -> $bin" >&2
echo "$bin"
