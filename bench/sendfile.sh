#!/usr/bin/env bash
# bench/sendfile.sh — which design serves a pre-rendered page fastest from
# Go: the bytes from memory, or the file handed to the kernel (sendfile)?
# It serves one page of each size in SIZES with bench/bare in both modes,
# and with nginx (sendfile, open_file_cache), on loopback, and prints
# requests/s (median of RUNS rounds, the servers in turns) and the ratio
# to nginx.
#
#   bench/sendfile.sh
#   SIZES="2400 20000 100000" RUNS=7 bench/sendfile.sh
#
# Needs wrk and nginx (apt-get install wrk nginx-light). Stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-2400 20000}
RUNS=${RUNS:-5}
DUR=${DUR:-3s}
CONN=${CONN:-50}
THREADS=${THREADS:-2}
PORT=${PORT:-18490}

for tool in wrk nginx go; do
  command -v "$tool" >/dev/null || { echo "bench/sendfile.sh: $tool is missing" >&2; exit 2; }
done
work=$(mktemp -d)
chmod 755 "$work" # nginx workers run as another user
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/bare" ./bench/bare
mkdir -p "$work/www"
for size in $SIZES; do
  head -c "$size" /dev/urandom | base64 -w 100 | head -c "$size" >"$work/www/$size.html"
done
cat >"$work/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx.err warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  open_file_cache max=1000 inactive=60s;
  types { text/html html; }
  server { listen 127.0.0.1:$PORT; root $work/www; }
}
NGINX
nginx -c "$work/nginx.conf" -p "$work" -e "$work/nginx.err"

rps() { wrk -t"$THREADS" -c"$CONN" -d"$DUR" "$1" | awk '/Requests\/sec/ {print $2}'; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %10s %10s %10s %10s %12s %12s %12s\n' "bytes" "nginx" "Go memory" "Go sendfile" "fastpath" \
  "memory/nginx" "sendfile/nginx" "fast/nginx"
for size in $SIZES; do
  "$work/bare" -file "$work/www/$size.html" -mode mem -addr "127.0.0.1:$((PORT + 1))" & pids+=($!)
  "$work/bare" -file "$work/www/$size.html" -mode sendfile -addr "127.0.0.1:$((PORT + 2))" & pids+=($!)
  "$work/bare" -file "$work/www/$size.html" -mode fast -addr "127.0.0.1:$((PORT + 3))" & pids+=($!)
  sleep 1
  urls=("http://127.0.0.1:$PORT/$size.html" "http://127.0.0.1:$((PORT + 1))/" "http://127.0.0.1:$((PORT + 2))/"
    "http://127.0.0.1:$((PORT + 3))/")
  for u in "${urls[@]}"; do
    [ "$(curl -fsS "$u" | wc -c)" = "$size" ] || { echo "$u does not serve $size bytes" >&2; exit 1; }
  done
  res=("" "" "" "")
  for r in $(seq 1 "$RUNS"); do
    for k in 0 1 2 3; do # rotate who goes first
      i=$(((k + r) % 4))
      res[i]+="$(rps "${urls[i]}") "
    done
  done
  ng=$(tr ' ' '\n' <<<"${res[0]}" | grep . | median)
  mem=$(tr ' ' '\n' <<<"${res[1]}" | grep . | median)
  sf=$(tr ' ' '\n' <<<"${res[2]}" | grep . | median)
  fp=$(tr ' ' '\n' <<<"${res[3]}" | grep . | median)
  ratio() { awk -v a="$1" -v b="$ng" 'BEGIN {print a/b}'; }
  printf '%-8s %10.0f %10.0f %10.0f %10.0f %12.2f %12.2f %12.2f\n' "$size" "$ng" "$mem" "$sf" "$fp" \
    "$(ratio "$mem")" "$(ratio "$sf")" "$(ratio "$fp")"
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  pids=()
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
echo "(wrk -t$THREADS -c$CONN -d$DUR, medians of $RUNS rounds, $(nproc) cores, Go servers with crisisdesk's timeouts)"
