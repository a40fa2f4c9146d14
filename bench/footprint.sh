#!/usr/bin/env bash
# bench/footprint.sh — how long crisisdesk takes to start on an existing
# database, and how much memory it holds when idle. On loopback only; every
# server it starts is stopped before the next.
#
#   bench/footprint.sh                 # 9 starts on the demo database
#   RUNS=15 IDLE=5 bench/footprint.sh
#
# For each run it starts `crisisdesk serve` on a copy of one migrated demo
# database, times the wait from exec until /readyz answers 200, lets the
# server idle IDLE seconds, reads VmRSS from /proc, and stops it with
# SIGTERM. It prints each run and the medians. Needs curl.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-9}
IDLE=${IDLE:-3}
PORT=${PORT:-18491}

work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/crisisdesk" ./cmd/crisisdesk
db="sqlite:$work/demo.db"
"$work/crisisdesk" demo --db "$db" >/dev/null 2>&1
export CRISISDESK_ADMIN_PASSWORD=footprint-bench-password

now_ms() { date +%s%3N; }
starts=() rss=()
for i in $(seq 1 "$RUNS"); do
  t0=$(now_ms)
  "$work/crisisdesk" serve --db "$db" --addr "127.0.0.1:$PORT" --log-level warn >"$work/log" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$PORT/readyz"; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/log"; exit 1; }
    sleep 0.005
  done
  t1=$(now_ms)
  sleep "$IDLE"
  kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
  kill -TERM "$pid"; wait "$pid" || true; pid=
  starts+=($((t1 - t0))) rss+=("$kb")
  printf 'run %2d: ready in %4d ms, idle RSS %6.1f MB\n' "$i" "$((t1 - t0))" "$(echo "$kb/1024" | bc -l)"
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "median start to ready: $(median "${starts[@]}") ms"
printf 'median idle RSS: %.1f MB\n' "$(echo "$(median "${rss[@]}")/1024" | bc -l)"
