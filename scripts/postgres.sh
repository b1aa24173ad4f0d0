#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for tests and CI (issue 13): Debian's `postgresql` package, installed with apt-get
# when missing (as root), a cluster initialised in DIR by an unprivileged user, listening on 127.0.0.1:PORT with its
# socket in DIR, trust authentication for the role `cs`, and one database `countersign`.
#
#   scripts/postgres.sh start [DIR] [PORT]   initialise (once) and start; prints the URL on stdout, nothing else
#   scripts/postgres.sh url   [DIR] [PORT]   prints postgres://cs@127.0.0.1:PORT/countersign
#   scripts/postgres.sh stop  [DIR]          stops the server and removes DIR
#
# DIR defaults to ${TMPDIR:-/tmp}/countersign-pg-PORT and PORT to 54329. Both commands are idempotent: starting a
# running cluster only prints its URL, stopping a missing one does nothing. Trust authentication on 127.0.0.1 is for
# a throw-away cluster on a test machine only; never point this script at a deployment (see docs/deploy.md).
set -euo pipefail

cmd=${1:-}
port=${3:-54329}
dir=${2:-${TMPDIR:-/tmp}/countersign-pg-$port}
role=cs
database=countersign

log() { echo "postgres.sh: $*" >&2; }
die() { log "$*"; exit 1; }

# The newest installed server version's binaries (Debian keeps them out of PATH, in /usr/lib/postgresql/N/bin).
bindir() {
  local v
  v=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$v" ] && [ -x "/usr/lib/postgresql/$v/bin/initdb" ] && echo "/usr/lib/postgresql/$v/bin"
}

ensure_installed() {
  bindir >/dev/null && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian's postgresql package..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
    bindir >/dev/null || die "postgresql installed but no initdb under /usr/lib/postgresql/*/bin"
  else
    die "PostgreSQL is not installed and this is not root with apt-get: install Debian's postgresql package"
  fi
}

# PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` user the package creates.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/bash -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}

running() { [ -f "$dir/postmaster.pid" ] && as_owner "$(bindir)/pg_ctl" -D "$dir" status >/dev/null 2>&1; }

url() { echo "postgres://$role@127.0.0.1:$port/$database"; }

start() {
  ensure_installed
  local bin
  bin=$(bindir)
  if [ ! -f "$dir/PG_VERSION" ]; then
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
      chown postgres:postgres "$dir"
      # The owner must reach DIR through its parents.
      su postgres -s /bin/bash -c "test -w $(printf '%q' "$dir")" ||
        die "the postgres user cannot write $dir (choose a DIR under /tmp)"
    fi
    chmod 700 "$dir"
    # --no-sync: a throw-away cluster need not survive a power cut while it is being created.
    as_owner "$bin/initdb" -D "$dir" -A trust -U "$role" -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  fi
  if ! running; then
    as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1" -w -t 60 start >/dev/null ||
      { tail -n 20 "$dir/server.log" >&2 || true; die "the server did not start (log above)"; }
  fi
  if [ "$("$bin/psql" -h 127.0.0.1 -p "$port" -U "$role" -d postgres -tAc \
    "select 1 from pg_database where datname = '$database'")" != 1 ]; then
    "$bin/psql" -h 127.0.0.1 -p "$port" -U "$role" -d postgres -qc "create database $database" >&2
  fi
  url
}

stop() {
  if [ -d "$dir" ]; then
    local bin
    bin=$(bindir) || true
    if [ -n "${bin:-}" ] && running; then as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null; fi
    rm -rf "$dir"
  fi
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  url) url ;;
  *) die "usage: scripts/postgres.sh start|stop|url [DIR] [PORT]" ;;
esac
