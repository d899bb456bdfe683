#!/usr/bin/env bash
# A throwaway local PostgreSQL server for benchmarks and for trying GreenLoop on PostgreSQL: a fresh cluster in a
# folder, listening on 127.0.0.1 at a free port, trust authentication (local use only), socket in the folder.
#
# Usage:
#   scripts/postgres.sh start [DIR]   initialises DIR (default /tmp/greenloop-pg-local) if needed, starts the server and
#                                     prints its connection string (database "greenloop", created if missing)
#   scripts/postgres.sh stop [DIR]    stops the server (the data stays; delete DIR to throw it away)
#   scripts/postgres.sh status [DIR]  prints the connection string if it runs, else exits 1
#
# As root (containers), the cluster belongs to the 'postgres' system user of Debian's package: initdb and postgres
# refuse to run as root. Binaries: $GREENLOOP_PG_BIN, else the newest /usr/lib/postgresql/N/bin, else PATH.
# Settings: durable by default (fsync on); GREENLOOP_PG_FAST=1 turns fsync and synchronous_commit off for throwaway runs.
set -euo pipefail

command="${1:-}"
dir="${2:-/tmp/greenloop-pg-local}"
data="$dir/data"

find_bin() {
  if [ -n "${GREENLOOP_PG_BIN:-}" ]; then echo "$GREENLOOP_PG_BIN"; return; fi
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n | tail -1 || true)
  if [ -n "$newest" ] && [ -x "$newest/initdb" ]; then echo "$newest"; return; fi
  local onpath
  onpath=$(command -v initdb || true)
  if [ -n "$onpath" ]; then dirname "$onpath"; return; fi
  echo "error: PostgreSQL is not installed (apt-get install postgresql, or set GREENLOOP_PG_BIN)" >&2
  exit 2
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

connection_string() {
  local port
  port=$(sed -n '4p' "$data/postmaster.pid")
  echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=greenloop"
}

running() {
  [ -f "$data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

bin=$(find_bin)

case "$command" in
  start)
    if running; then connection_string; exit 0; fi
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
      id -u postgres >/dev/null 2>&1 || { echo "error: running as root needs the 'postgres' system user (Debian's postgresql package creates it)" >&2; exit 2; }
      chown postgres "$dir"
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    extra=""
    if [ "${GREENLOOP_PG_FAST:-0}" = "1" ]; then extra="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"; fi
    port=$(free_port)
    as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 -c shared_buffers=256MB -c max_wal_size=4GB $extra" start >/dev/null \
      || { tail -20 "$dir/server.log" >&2; exit 1; }
    as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname='greenloop'" | grep -q 1 \
      || as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE greenloop" >/dev/null
    connection_string
    ;;
  stop)
    if running; then as_owner "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null; fi
    ;;
  status)
    if running; then connection_string; else exit 1; fi
    ;;
  *)
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
    exit 1
    ;;
esac
