#!/usr/bin/env bash
# The project's real Asterisk 22, in a Debian sid chroot cached outside the repository.
#
#   scripts/asterisk.sh provision   build the chroot once (debootstrap + apt), needs root
#   scripts/asterisk.sh start       install the test configuration, start, wait until fully booted
#   scripts/asterisk.sh stop        stop now
#   scripts/asterisk.sh restart     stop then start (what the reconnect tests use)
#   scripts/asterisk.sh status      exit 0 when Asterisk answers its console
#   scripts/asterisk.sh rx '<cli>'  run one CLI command (e.g. 'manager show connected')
#
# ASTERISK_CHROOT overrides where the chroot lives (default /var/cache/nestjs-ami/asterisk-sid);
# ASTERISK_AMI_PORT and ASTERISK_AMI_TLS_PORT (default 5038, 5039) let several instances run side by side,
# each in its own chroot (a copy of the provisioned one: cp -a).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
config_dir="$here/../test/asterisk/etc"
root="${ASTERISK_CHROOT:-/var/cache/nestjs-ami/asterisk-sid}"
ready_marker="$root/.nestjs-ami-provisioned"
asterisk_dirs=(/etc/asterisk /var/lib/asterisk /var/log/asterisk /var/spool/asterisk /var/cache/asterisk /usr/share/asterisk /var/run/asterisk)

log() { echo "[asterisk] $*" >&2; }

# The mirror comes from this machine's apt configuration, so no registry host is written here.
debian_mirror() {
  local uri
  uri=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1 | awk '{print $2}')
  if [ -z "$uri" ]; then
    uri=$(grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | head -n 1 | awk '{print $2}')
  fi
  [ -n "$uri" ] || { log "no Debian mirror found in /etc/apt"; exit 1; }
  echo "$uri"
}

in_chroot() { chroot "$root" "$@"; }

provision() {
  if [ -f "$ready_marker" ]; then
    log "chroot ready at $root"
    return
  fi
  command -v debootstrap >/dev/null || apt-get install -y --no-install-recommends debootstrap >&2
  local mirror
  mirror=$(debian_mirror)
  if [ ! -x "$root/usr/bin/apt-get" ]; then
    log "debootstrap sid into $root (about 35 s)"
    rm -rf "$root"
    mkdir -p "$root"
    debootstrap --variant=minbase sid "$root" "$mirror" >&2
  fi
  log "installing asterisk in the chroot (about 15 s)"
  cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
  in_chroot apt-get -o Acquire::Check-Valid-Until=false update >&2
  DEBIAN_FRONTEND=noninteractive in_chroot apt-get -o Acquire::Check-Valid-Until=false \
    install -y --no-install-recommends asterisk openssl >&2
  # Root has no DAC override here: Asterisk runs as root and must own its directories.
  local dir
  for dir in "${asterisk_dirs[@]}"; do
    in_chroot mkdir -p "$dir"
    in_chroot chown -R root:root "$dir"
  done
  touch "$ready_marker"
  log "provisioned: $(in_chroot asterisk -V)"
}

install_config() {
  cp "$config_dir"/*.conf "$root/etc/asterisk/"
  sed -i -e "s/^port = 5038/port = ${ASTERISK_AMI_PORT:-5038}/" \
    -e "s/^tlsbindaddr = 127.0.0.1:5039/tlsbindaddr = 127.0.0.1:${ASTERISK_AMI_TLS_PORT:-5039}/" \
    "$root/etc/asterisk/manager.conf"
  make_tls_material
}

# A private CA and a server certificate for the TLS manager port; tests read the CA from the chroot.
make_tls_material() {
  local tls="$root/etc/asterisk/keys"
  [ -f "$tls/ca.crt" ] && [ -f "$tls/server.pem" ] && return
  mkdir -p "$tls"
  in_chroot sh -c '
    cd /etc/asterisk/keys &&
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=nestjs-ami test CA" \
      -keyout ca.key -out ca.crt 2>/dev/null &&
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null &&
    printf "subjectAltName=DNS:localhost,IP:127.0.0.1\n" > san.ext &&
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
      -extfile san.ext -out server.crt 2>/dev/null &&
    cat server.crt server.key > server.pem'
}

is_running() { in_chroot asterisk -rx 'core show version' >/dev/null 2>&1; }

# The Asterisk processes of this chroot only: other instances (other chroots) run side by side.
own_pids() {
  local pid own
  own=$(readlink -f "$root")
  for pid in $(pgrep -f "^asterisk -U root" || true); do
    [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$own" ] && echo "$pid"
  done
  return 0
}

# What the running instance was started with: the rig's config files and the ports.
config_stamp() {
  { cat "$config_dir"/*.conf; echo "${ASTERISK_AMI_PORT:-5038} ${ASTERISK_AMI_TLS_PORT:-5039}"; } | sha256sum | cut -d' ' -f1
}

start() {
  [ -f "$ready_marker" ] || provision
  if is_running; then
    # An instance started from an older dialplan (another checkout, an earlier run) would fail tests that
    # need the new extensions: restart it with this checkout's config.
    if [ "$(cat "$root/etc/asterisk/.rig-config" 2>/dev/null)" = "$(config_stamp)" ]; then
      log "already running"
      return
    fi
    log "running with another config: restarting it with this one"
    stop
  fi
  install_config
  config_stamp >"$root/etc/asterisk/.rig-config"
  in_chroot mkdir -p /var/run/asterisk
  in_chroot rm -f /var/run/asterisk/asterisk.ctl /var/run/asterisk/asterisk.pid
  in_chroot asterisk -U root -G root -n -f >"$root/var/log/asterisk/console.log" 2>&1 &
  disown
  local tries=0
  until is_running; do
    tries=$((tries + 1))
    [ "$tries" -lt 100 ] || { log "did not start; console log:"; tail -n 30 "$root/var/log/asterisk/console.log" >&2; exit 1; }
    sleep 0.1
  done
  in_chroot asterisk -rx 'core waitfullybooted' >/dev/null
  log "running: $(in_chroot asterisk -rx 'core show version' | head -n 1)"
}

stop() {
  if ! is_running; then
    log "not running"
    return
  fi
  in_chroot asterisk -rx 'core stop now' >/dev/null 2>&1 || true
  local tries=0
  while is_running || [ -n "$(own_pids)" ]; do
    tries=$((tries + 1))
    [ "$tries" -lt 100 ] || { log "still running after 10 s"; kill -9 $(own_pids) 2>/dev/null || true; break; }
    sleep 0.1
  done
  log "stopped"
}

case "${1:-}" in
  provision) provision ;;
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) is_running ;;
  rx) shift; in_chroot asterisk -rx "$*" ;;
  root) echo "$root" ;;
  *) sed -n '2,11p' "$0" >&2; exit 2 ;;
esac
