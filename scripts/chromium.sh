#!/usr/bin/env bash
# Debian's headless Chromium for the wallboard's browser test, installed with apt-get (needs root) and
# never downloaded by npm: the test drives it with playwright-core at the path printed here.
#
#   scripts/chromium.sh            install it when missing, print its path and version (idempotent)
#   scripts/chromium.sh path       print its path only (exit 1 when it is not installed)
#
# CHROMIUM_PATH overrides where the browser is looked for (default: the first of chromium,
# chromium-browser on PATH).
set -euo pipefail

log() { echo "[chromium] $*" >&2; }

binary() {
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    [ -x "$CHROMIUM_PATH" ] && echo "$CHROMIUM_PATH"
    return 0
  fi
  command -v chromium || command -v chromium-browser || true
}

apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >&2
}

install() {
  if [ -z "$(binary)" ]; then
    log "installing chromium from Debian's packages"
    apt_install || { apt-get update -q >&2 && apt_install; }
  fi
  local path
  path="$(binary)"
  if [ -z "$path" ]; then
    log "chromium is still missing after apt-get install"
    exit 1
  fi
  echo "$path"
  # --version needs no display, profile or sandbox; it only prints.
  "$path" --version
}

case "${1:-install}" in
  install) install ;;
  path) [ -n "$(binary)" ] && binary || exit 1 ;;
  *)
    echo "usage: $0 [install|path]" >&2
    exit 2
    ;;
esac
