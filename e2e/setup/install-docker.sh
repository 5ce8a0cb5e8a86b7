#!/usr/bin/env bash
# Installs Debian's Docker Engine, docker-compose, debootstrap, curl and skopeo when any is missing.
# Idempotent: with everything present it only checks. Debian's client is /usr/bin/docker; a
# newer CLI may sit earlier in PATH (/usr/local/bin/docker), so the e2e calls /usr/bin/docker.
set -euo pipefail

need=()
[[ -x /usr/sbin/dockerd && -x /usr/bin/docker ]] || need+=(docker.io)
[[ -x /usr/bin/docker-compose ]] || need+=(docker-compose)
command -v debootstrap >/dev/null || [[ -x /usr/sbin/debootstrap ]] || need+=(debootstrap)
command -v curl >/dev/null || need+=(curl)
command -v skopeo >/dev/null || need+=(skopeo)   # reads the release's OCI image into the daemon

if ((${#need[@]})); then
  echo "install-docker: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq "${need[@]}" >&2
fi
# Debian's package starts nothing by itself here (no init system); the e2e starts its own dockerd.
/usr/bin/docker --version >&2
/usr/bin/docker-compose version --short >&2
