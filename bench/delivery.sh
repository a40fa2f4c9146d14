#!/usr/bin/env bash
# bench/delivery.sh — crisisdesk's delivery engine at scale, on loopback
# only: the fan-out of one notice to FANOUT subscribers, the sustained rate
# of webhooks and e-mails against local receivers (each first measured
# alone in the same run), and crisisdesk's peak memory. See
# bench/delivery/main.go for what each figure means.
#
#   bench/delivery.sh                                  # 3 runs, SQLite and PostgreSQL
#   RUNS=1 ENGINES=sqlite bench/delivery.sh
#   FANOUT=100000 WEBHOOKS=20000 EMAILS=5000 bench/delivery.sh   # a quick look
#
# PostgreSQL is the server at PG (default: the local test database); each
# phase works in a schema of its own, dropped at the end. SQLite files live
# in temporary directories, removed at the end. The run stops by itself.
# Everything shares the machine's cores: the load average before and after
# is printed as a hint of noise from other work.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
ENGINES=${ENGINES:-sqlite,postgres}
FANOUT=${FANOUT:-1000000}
WEBHOOKS=${WEBHOOKS:-200000}
EMAILS=${EMAILS:-50000}
ALONE=${ALONE:-5s}
PG=${PG:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}

command -v go >/dev/null || { echo "bench/delivery.sh: go is missing" >&2; exit 2; }
if [[ $ENGINES == *postgres* ]] && command -v pg_isready >/dev/null; then
  pg_isready -q -d "$PG" || { echo "bench/delivery.sh: PostgreSQL at $PG does not answer" >&2; exit 2; }
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/delivery" ./bench/delivery

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$work/delivery" -runs "$RUNS" -engines "$ENGINES" -fanout "$FANOUT" -webhooks "$WEBHOOKS" -emails "$EMAILS" \
  -alone "$ALONE" -pg "$PG"
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
pgv=
if [[ $ENGINES == *postgres* ]] && command -v psql >/dev/null; then
  pgv=", PostgreSQL $(psql "$PG" -Atc 'SHOW server_version' 2>/dev/null | cut -d' ' -f1)"
fi
echo "($(nproc) cores, $(go version | cut -d' ' -f3)$pgv)"
