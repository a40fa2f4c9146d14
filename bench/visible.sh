#!/usr/bin/env bash
# bench/visible.sh — publish-to-visible latency of the public page and of the
# live event stream (bench/visible): one replica on SQLite, then, when PG
# names a PostgreSQL server, two replicas on one PostgreSQL database, the
# notices published through one and watched on the other.
#
#   bench/visible.sh
#   N=500 PG='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' bench/visible.sh
#
# On PostgreSQL it creates a throwaway database with psql and drops it on
# exit. Everything runs on loopback and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-200}
PG=${PG:-}

work=$(mktemp -d)
db=
cleanup() {
  [ -n "$db" ] && psql -q "$PG" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/visible" ./bench/visible
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$work/visible" -n "$N"
if [ -n "$PG" ]; then
  command -v psql >/dev/null || { echo "bench/visible.sh: psql is missing" >&2; exit 2; }
  db=crisisdesk_visible_$$
  psql -q "$PG" -c "CREATE DATABASE $db" >/dev/null
  # The same server, the new database: replace the path of the URL.
  dsn=$(sed -E "s#^(postgres(ql)?://[^/]*)/[^?]*#\1/$db#" <<<"$PG")
  "$work/visible" -n "$N" -db "$dsn" -replicas 2
fi
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
