#!/usr/bin/env bash
# Installs verdaccio, a real npm registry, once into the cache: the e2e publishes the release's
# npm packages to it and the image builds install autopilot from it, as users' builds do from
# registry.npmjs.org. Prints the path of its CLI last.
set -euo pipefail

version="${VERDACCIO_VERSION:-6.8.0}"   # the newest that runs on Node 20
dir="${AUTOPILOT_CACHE:-$HOME/.cache/autopilot}/verdaccio-$version"
cli="$dir/node_modules/verdaccio/bin/verdaccio"
if [[ ! -f "$cli" ]]; then
  mkdir -p "$(dirname "$dir")"
  work="$(mktemp -d "$dir.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  echo "install-verdaccio: installing verdaccio $version" >&2
  npm install --prefix "$work" --no-audit --no-fund --loglevel=error "verdaccio@$version" >&2
  rm -rf "$dir"
  mv "$work" "$dir"
  trap - EXIT
fi
echo "$cli"
