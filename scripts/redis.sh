#!/usr/bin/env bash
# The project's real Redis (cluster mode's tests), from Debian's packages, without systemd.
#
#   scripts/redis.sh install    apt-get install redis-server once (Redis 7 on Debian 12), needs root
#   scripts/redis.sh start      start on REDIS_PORT, wait until it answers PING
#   scripts/redis.sh stop       stop now (SHUTDOWN NOSAVE)
#   scripts/redis.sh restart    stop then start: every key is lost, as in a restart without persistence
#   scripts/redis.sh status     exit 0 when it answers PING
#   scripts/redis.sh cli ARGS   run one redis-cli command against it
#
# REDIS_PORT (default 6390) lets several instances run side by side; each keeps its pid file and log in
# REDIS_DIR (default /tmp/nestjs-ami-redis-<port>). No persistence: a restart starts empty.
set -euo pipefail

port="${REDIS_PORT:-6390}"
dir="${REDIS_DIR:-/tmp/nestjs-ami-redis-$port}"
pidfile="$dir/redis.pid"

log() { echo "[redis:$port] $*" >&2; }

server_binary() { command -v redis-server || command -v valkey-server || true; }
cli_binary() { command -v redis-cli || command -v valkey-cli || true; }

install() {
  if [ -n "$(server_binary)" ] && [ -n "$(cli_binary)" ]; then
    log "$("$(server_binary)" --version | head -n 1)"
    return
  fi
  log "installing redis-server from Debian's packages"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends redis-server redis-tools >&2 ||
    { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends redis-server redis-tools >&2; }
}

cli() { "$(cli_binary)" -h 127.0.0.1 -p "$port" "$@"; }

status() { [ "$(cli ping 2>/dev/null)" = "PONG" ]; }

start() {
  install
  if status; then
    log "already running"
    return
  fi
  mkdir -p "$dir"
  "$(server_binary)" --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$pidfile" --logfile "$dir/redis.log" --dir "$dir" >&2
  for _ in $(seq 1 100); do
    if status; then
      log "ready"
      return
    fi
    sleep 0.1
  done
  log "did not answer PING within 10 s; log: $dir/redis.log"
  exit 1
}

stop() {
  if status; then cli shutdown nosave >/dev/null 2>&1 || true; fi
  for _ in $(seq 1 100); do
    if ! status; then
      rm -f "$pidfile"
      return
    fi
    sleep 0.1
  done
  [ -f "$pidfile" ] && kill -9 "$(cat "$pidfile")" 2>/dev/null || true
  rm -f "$pidfile"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  restart) stop && start ;;
  status) status ;;
  cli) shift && cli "$@" ;;
  *)
    echo "usage: $0 install|start|stop|restart|status|cli ARGS" >&2
    exit 2
    ;;
esac
