#!/usr/bin/env bash
# Starts (or reuses) a private PostgreSQL cluster for this checkout and exports PG_PORT, PG_BIN and
# PG_SERVER_CONNECTION (to the "postgres" database). Source it: `source scripts/pg.sh`.
# Works as root (the server runs as the "postgres" user) and as a normal user. The cluster lives in
# .local/pg and is reused next time; its port is chosen free once and remembered.
set -euo pipefail

_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_dir="${CONSULTBOT_PG_DIR:-$_root/.local/pg}"

_find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
PG_BIN="$(_find_bin)"
if [ -z "$PG_BIN" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "pg.sh: PostgreSQL server not found, installing Debian's postgresql package..." >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    PG_BIN="$(_find_bin)"
fi
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    echo "pg.sh: ERROR: PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin." >&2
    echo "pg.sh: install the 'postgresql' package, or set ConnectionStrings__Postgres to an existing server." >&2
    return 1 2>/dev/null || exit 1
fi

# As root the server runs as "postgres", which must be able to reach the folder.
if [ "$(id -u)" = 0 ]; then
    _as() { (cd / && runuser -u postgres -- "$@"); }
    mkdir -p "$_dir"
    if ! _as test -x "$_dir"; then
        # A parent folder (e.g. /root) is closed to other users: keep the cluster in a per-checkout folder instead.
        _dir="/var/tmp/consultbot-pg-$(printf '%s' "$_root" | sha1sum | cut -c1-12)"
        echo "pg.sh: $_root is not reachable by the postgres user; using $_dir" >&2
        mkdir -p "$_dir"
    fi
    chown postgres: "$_dir"
else
    _as() { "$@"; }
    mkdir -p "$_dir"
fi

_data="$_dir/data"
_log="$_dir/postgres.log"
_port_file="$_dir/port"

_port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
_pick_port() {
    local p
    for p in $(seq 55432 55532) $(shuf -i 20000-60000 -n 50); do
        if ! _port_busy "$p"; then echo "$p"; return 0; fi
    done
    return 1
}

# The server's options (also used by scripts/faults.sh to start it again after stopping it).
_pg_options() { echo "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c max_connections=300 -c shared_buffers=256MB"; }

if [ ! -f "$_data/PG_VERSION" ]; then
    echo "pg.sh: creating a PostgreSQL cluster in $_data" >&2
    _as "$PG_BIN/initdb" -D "$_data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$_dir/initdb.log" 2>&1 \
        || { cat "$_dir/initdb.log" >&2; echo "pg.sh: ERROR: initdb failed" >&2; return 1 2>/dev/null || exit 1; }
fi

if _as "$PG_BIN/pg_ctl" -D "$_data" status >/dev/null 2>&1; then
    PG_PORT="$(cat "$_port_file")"
else
    PG_PORT="$(cat "$_port_file" 2>/dev/null || true)"
    if [ -z "$PG_PORT" ] || _port_busy "$PG_PORT"; then
        PG_PORT="$(_pick_port)" || { echo "pg.sh: ERROR: no free port" >&2; return 1 2>/dev/null || exit 1; }
    fi
    _as touch "$_log"
    # TCP on loopback only, no Unix socket (its folder may not be writable for the postgres user).
    if ! _as "$PG_BIN/pg_ctl" -D "$_data" -l "$_log" -w -t 60 -o "$(_pg_options)" start >/dev/null; then
        tail -n 20 "$_log" >&2
        echo "pg.sh: ERROR: PostgreSQL did not start (log: $_log)" >&2
        return 1 2>/dev/null || exit 1
    fi
    echo "$PG_PORT" >"$_port_file"
    echo "pg.sh: PostgreSQL running on 127.0.0.1:$PG_PORT" >&2
fi

PG_SERVER_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
export PG_BIN PG_PORT PG_SERVER_CONNECTION

# Creates a database if it is missing: pg_create_db NAME
pg_create_db() {
    if ! "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1; then
        "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qc "CREATE DATABASE \"$1\"" >/dev/null
    fi
}
