#!/usr/bin/env bash
# Builds the single-file binary (`npm run build:binary`) and, from the repository's Dockerfile,
# the image autopilot/autopilot:<package version> that generated Dockerfiles copy it from.
# Prints the image name last. AUTOPILOT_DOCKERFILE names another Dockerfile (context: the repo).
#
#   DOCKER_HOST=unix://... bash e2e/setup/build-autopilot-image.sh
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
: "${DOCKER_HOST:?set DOCKER_HOST to the e2e daemon}"
dockerfile="${AUTOPILOT_DOCKERFILE:-$repo/Dockerfile}"
[[ -f "$dockerfile" ]] || { echo "build-autopilot-image: $dockerfile is missing (it builds the autopilot/autopilot image)" >&2; exit 1; }

version="$(node -p "require('$repo/package.json').version")"
image="autopilot/autopilot:$version"

(cd "$repo" && npm run --silent build:binary) >&2
/usr/bin/docker build -q -f "$dockerfile" --build-arg "VERSION=$version" -t "$image" "$repo" >&2
echo "$image"
