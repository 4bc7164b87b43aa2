#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL server started here and stopped after.
# Usage: scripts/with-postgres.sh COMMAND...   (COMMAND sees DATABASE_URL)
# PostgreSQL refuses to run as root, so as root the server runs as the postgres user.
set -euo pipefail

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pgbin" ] && [ "$(id -u)" = 0 ]; then
  echo "with-postgres: installing PostgreSQL from Debian's packages" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
if [ -z "$pgbin" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "with-postgres: PostgreSQL is not installed and this is CI: failing." >&2
    exit 1
  fi
  echo "################################################################" >&2
  echo "with-postgres: SKIPPING the PostgreSQL leg: PostgreSQL is not" >&2
  echo "installed and this user cannot install it (not root)." >&2
  echo "################################################################" >&2
  exit 0
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
datadir=$(mktemp -d /tmp/accord-pg.XXXXXX)
as_pg() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
[ "$(id -u)" = 0 ] && chown postgres "$datadir"
stop() {
  as_pg "$pgbin/pg_ctl -D $datadir -m fast stop" >/dev/null 2>&1 || true
  rm -rf "$datadir"
}
trap stop EXIT
as_pg "$pgbin/initdb -D $datadir -A trust -U postgres -E UTF8" >/dev/null
as_pg "$pgbin/pg_ctl -D $datadir -o '-k /tmp -p $port -h 127.0.0.1 -c fsync=off' -l $datadir/log -w start" >/dev/null
echo "with-postgres: PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
DATABASE_URL="postgres://postgres@127.0.0.1:$port/accord" "$@"
