#!/usr/bin/env bash
# bench/public.sh — how fast crisisdesk serves its public pages under a surge,
# measured against nginx serving the very same bytes as static files, in one
# run, on loopback only. For each case it prints requests/s of both (median
# of RUNS runs each, taken in pairs) and the median ratio of the pairs.
#
#   bench/public.sh                          # 7 pairs of 3 s runs, 2 threads, 50 connections
#   RUNS=11 DUR=5s CONN=50 bench/public.sh
#   NOTICES=20 bench/public.sh               # the demo plus 20 published updates
#   FAST=false bench/public.sh               # crisisdesk with --public-fast-path=false
#
# The database is the demo (4 notices: "/" is about 2.4 KB) plus NOTICES more
# published updates in three languages (bench/seed); with 20, "/" lists
# twenty notices (about 9 KB) and /feed.atom carries all 24 (about 20 KB).
#
# Cases: / and /feed.atom, identity and gzip, and / revalidated with
# If-None-Match (304), each against nginx. nginx gets the bytes crisisdesk
# served (the gzip ones too, through gzip_static), sendfile, open_file_cache,
# and the same Cache-Control and Vary headers, so both send responses of
# about one size.
# wrk, the two servers and anything else running share the machine's cores:
# the script prints the load average before and after, as a hint of noise.
#
# Needs wrk, nginx and curl (apt-get install wrk nginx-light curl). Every
# server it starts listens on 127.0.0.1 and is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-7}
DUR=${DUR:-3s}
CONN=${CONN:-50}
THREADS=${THREADS:-2}
NOTICES=${NOTICES:-0}
# nginx keeps open file descriptors and their metadata (open_file_cache), as
# a server tuned for static files does; FILE_CACHE=off measures it without.
FILE_CACHE=${FILE_CACHE:-on}
# crisisdesk answers cached documents on its fast path (package fastpath)
# unless FAST=false, which leaves every request to net/http.
FAST=${FAST:-true}
CD_PORT=${CD_PORT:-18481}
NG_PORT=${NG_PORT:-18482}

for tool in wrk nginx curl go; do
  command -v "$tool" >/dev/null || { echo "bench/public.sh: $tool is missing (apt-get install wrk nginx-light curl)" >&2; exit 2; }
done

work=$(mktemp -d)
chmod 755 "$work" # nginx workers run as another user
cd_pid=
cleanup() {
  [ -n "$cd_pid" ] && kill "$cd_pid" 2>/dev/null && wait "$cd_pid" 2>/dev/null
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

cd_url="http://127.0.0.1:$CD_PORT"
ng_url="http://127.0.0.1:$NG_PORT"

go build -o "$work/crisisdesk" ./cmd/crisisdesk
go run ./bench/seed -db "sqlite:$work/db/crisisdesk.db" -notices "$NOTICES"
"$work/crisisdesk" serve --db "sqlite:$work/db/crisisdesk.db" --addr "127.0.0.1:$CD_PORT" \
  --base-url "$cd_url" --log-level warn --public-fast-path="$FAST" >"$work/serve.out" 2>"$work/serve.err" &
cd_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "$cd_url/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "$cd_url/healthz" >/dev/null || { echo "crisisdesk did not start:" >&2; cat "$work/serve.err" >&2; exit 1; }

# The bytes crisisdesk serves, both encodings, as files for nginx. Without
# --compressed, curl keeps the gzip bytes as they came.
mkdir -p "$work/www"
fetch() { curl -fsS -H 'Accept-Language: en' "$@"; }
fetch "$cd_url/" -o "$work/www/index.html"
fetch -H 'Accept-Encoding: gzip' "$cd_url/" -o "$work/www/index.html.gz"
fetch "$cd_url/feed.atom" -o "$work/www/feed.atom"
fetch -H 'Accept-Encoding: gzip' "$cd_url/feed.atom" -o "$work/www/feed.atom.gz"
for f in index.html feed.atom; do
  gzip -dc "$work/www/$f.gz" | cmp -s - "$work/www/$f" || { echo "the gzip bytes of $f are not its identity bytes" >&2; exit 1; }
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
  $([ "$FILE_CACHE" = on ] && echo "open_file_cache max=1000 inactive=60s;")
  gzip_static on;
  gzip_vary on;
  types { text/html html; application/atom+xml atom; }
  server {
    listen 127.0.0.1:$NG_PORT;
    root $work/www;
    add_header Cache-Control "public, max-age=30, stale-while-revalidate=60";
    add_header Content-Language en;
    location = / { try_files /index.html =404; }
  }
}
NGINX
nginx -c "$work/nginx.conf" -p "$work" -e "$work/nginx.err"
for _ in $(seq 1 50); do curl -fsS "$ng_url/" >/dev/null 2>&1 && break; sleep 0.1; done
for f in index.html feed.atom; do
  p=/$f
  [ "$f" = index.html ] && p=/
  curl -fsS "$ng_url$p" | cmp -s - "$work/www/$f" || { echo "nginx does not serve the bytes of $p" >&2; exit 1; }
  curl -fsS -H 'Accept-Encoding: gzip' "$ng_url$p" | cmp -s - "$work/www/$f.gz" || { echo "nginx does not serve the gzip bytes of $p" >&2; exit 1; }
done

etag() { curl -fsS -o /dev/null -D - -H 'Accept-Language: en' "$1" | awk -F': ' 'tolower($1)=="etag" {print $2}' | tr -d '\r'; }
cd_etag=$(etag "$cd_url/")
ng_etag=$(etag "$ng_url/")
for u in "$cd_url/ $cd_etag" "$ng_url/ $ng_etag"; do
  set -- $u
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept-Language: en' -H "If-None-Match: $2" "$1")
  [ "$code" = 304 ] || { echo "$1 with If-None-Match $2 answered $code, not 304" >&2; exit 1; }
done

# rps URL [HEADER…] prints the requests/s of one wrk run, and warns on
# errors or unexpected statuses.
rps() {
  local url=$1; shift
  local args=()
  for h in "$@"; do args+=(-H "$h"); done
  local out
  out=$(wrk -t"$THREADS" -c"$CONN" -d"$DUR" "${args[@]}" "$url")
  if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
    echo "warning: $url: $(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr -s ' ')" >&2
  fi
  awk '/Requests\/sec/ {print $2}' <<<"$out"
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
range() { sort -g | awk -v f="$1" 'NR==1 {lo=$1} {hi=$1} END {printf f "–" f, lo, hi}'; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-30s %11s %11s %7s %13s\n' "case" "crisisdesk" "nginx" "ratio" "(range)"
# run_case NAME PATH CRISISDESK-HEADER NGINX-HEADER [HEADER…] measures the
# two servers back to back, RUNS times, in the order AB BA AB…, so that a
# change in the machine's load hits both of a pair alike. It prints the
# medians of requests/s and the median of the pairs' ratios, with their
# range: other work on the machine moves the absolute figures far more
# than the ratio.
run_case() {
  local name=$1 path=$2 cd_h=$3 ng_h=$4; shift 4
  local cd=() ng=() ratio=() cd_args=("$@") ng_args=("$@") a b
  [ -n "$cd_h" ] && cd_args+=("$cd_h")
  [ -n "$ng_h" ] && ng_args+=("$ng_h")
  for i in $(seq 1 "$RUNS"); do
    if [ $((i % 2)) = 1 ]; then
      a=$(rps "$cd_url$path" "${cd_args[@]}"); b=$(rps "$ng_url$path" "${ng_args[@]}")
    else
      b=$(rps "$ng_url$path" "${ng_args[@]}"); a=$(rps "$cd_url$path" "${cd_args[@]}")
    fi
    cd+=("$a"); ng+=("$b"); ratio+=("$(awk -v a="$a" -v b="$b" 'BEGIN {print a/b}')")
  done
  printf '%-30s %11.0f %11.0f %7.2f %13s\n' "$name" "$(printf '%s\n' "${cd[@]}" | median)" \
    "$(printf '%s\n' "${ng[@]}" | median)" "$(printf '%s\n' "${ratio[@]}" | median)" \
    "($(printf '%s\n' "${ratio[@]}" | range %.2f))"
}
al='Accept-Language: en'
gz='Accept-Encoding: gzip'
run_case "/ ($(wc -c <"$work/www/index.html") B)" / "" "" "$al"
run_case "/ gzip ($(wc -c <"$work/www/index.html.gz") B)" / "" "" "$al" "$gz"
run_case "/feed.atom ($(wc -c <"$work/www/feed.atom") B)" /feed.atom "" "" "$al"
run_case "/feed.atom gzip ($(wc -c <"$work/www/feed.atom.gz") B)" /feed.atom "" "" "$al" "$gz"
run_case "/ revalidated (304)" / "If-None-Match: $cd_etag" "If-None-Match: $ng_etag" "$al"
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
echo "(demo + $NOTICES notices; crisisdesk fast path $FAST; nginx open_file_cache $FILE_CACHE; wrk -t$THREADS -c$CONN -d$DUR, medians of $RUNS pairs, $(nproc) cores, $(nginx -v 2>&1 | sed 's/.*: //'), $(go version | cut -d' ' -f3))"
