#!/usr/bin/env bash
# bench/public.sh — how fast crisisdesk serves its public pages under a surge,
# measured against nginx serving the very same bytes as static files, in one
# run, on loopback only. Prints requests/s (median of RUNS) and the ratio.
#
#   bench/public.sh                 # defaults: 3 runs of 10 s, 64 connections
#   RUNS=5 DUR=20s CONN=128 bench/public.sh
#
# Needs wrk and nginx (apt-get install wrk nginx-light). Stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
DUR=${DUR:-10s}
CONN=${CONN:-64}
THREADS=${THREADS:-2}
CD_PORT=${CD_PORT:-18481}
NG_PORT=${NG_PORT:-18482}

for tool in wrk nginx curl go; do
  command -v "$tool" >/dev/null || { echo "bench/public.sh: $tool is missing (apt-get install wrk nginx-light)" >&2; exit 2; }
done

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/crisisdesk" ./cmd/crisisdesk
"$work/crisisdesk" serve --demo --db "sqlite:$work/db/crisisdesk.db" --addr "127.0.0.1:$CD_PORT" \
  --log-level warn >"$work/serve.out" 2>"$work/serve.err" &
pids+=($!)
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$CD_PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done

# The same bytes crisisdesk serves, as files for nginx.
mkdir -p "$work/www"
curl -fsS -H 'Accept-Language: en' "http://127.0.0.1:$CD_PORT/" -o "$work/www/index.html"
curl -fsS "http://127.0.0.1:$CD_PORT/feed.atom" -o "$work/www/feed.atom"
gzip -9 -k "$work/www/index.html" "$work/www/feed.atom"

cat >"$work/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx.err warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  gzip_static on;
  types { text/html html; application/atom+xml atom; }
  server {
    listen 127.0.0.1:$NG_PORT;
    root $work/www;
    location = / { try_files /index.html =404; }
  }
}
NGINX
nginx -c "$work/nginx.conf" -p "$work" -e "$work/nginx.err"
for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$NG_PORT/" >/dev/null 2>&1 && break; sleep 0.1; done

# rps URL [HEADER…] prints the requests/s of one wrk run.
rps() {
  local url=$1; shift
  local args=()
  for h in "$@"; do args+=(-H "$h"); done
  wrk -t"$THREADS" -c"$CONN" -d"$DUR" "${args[@]}" "$url" | awk '/Requests\/sec/ {print $2}'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

etag=$(curl -fsSI -H 'Accept-Language: en' "http://127.0.0.1:$CD_PORT/" | awk -F': ' 'tolower($1)=="etag" {print $2}' | tr -d '\r')

printf '%-34s %12s %12s %7s\n' "case" "crisisdesk" "nginx" "ratio"
run_case() {
  local name=$1 path=$2; shift 2
  local cd=() ng=()
  for _ in $(seq 1 "$RUNS"); do   # alternate, so drift hits both alike
    cd+=("$(rps "http://127.0.0.1:$CD_PORT$path" "$@")")
    ng+=("$(rps "http://127.0.0.1:$NG_PORT$path" "$@")")
  done
  local mc mn
  mc=$(printf '%s\n' "${cd[@]}" | median)
  mn=$(printf '%s\n' "${ng[@]}" | median)
  printf '%-34s %12.0f %12.0f %7.2f\n' "$name" "$mc" "$mn" "$(awk -v a="$mc" -v b="$mn" 'BEGIN {print a/b}')"
}
run_case "/ (html, $(wc -c <"$work/www/index.html") B)" / "Accept-Language: en"
run_case "/ gzip" / "Accept-Language: en" "Accept-Encoding: gzip"
run_case "/feed.atom ($(wc -c <"$work/www/feed.atom") B)" /feed.atom
run_case "/feed.atom gzip" /feed.atom "Accept-Encoding: gzip"
if [ -n "$etag" ]; then
  c=()
  for _ in $(seq 1 "$RUNS"); do c+=("$(rps "http://127.0.0.1:$CD_PORT/" "Accept-Language: en" "If-None-Match: $etag")"); done
  printf '%-34s %12.0f %12s %7s\n' "/ revalidated (304)" "$(printf '%s\n' "${c[@]}" | median)" "-" "-"
fi
echo "(wrk -t$THREADS -c$CONN -d$DUR, median of $RUNS runs, $(nproc) cores)"
