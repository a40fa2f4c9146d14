#!/usr/bin/env bash
# bench/feedback.sh — the public feedback intake under a surge, on
# loopback: crisisdesk on a fresh SQLite database takes questions at
# POST /api/v1/feedback from CONNS connections for DURATION, RUNS times;
# each run counts the submissions acknowledged (201 with a reference,
# given only once the row is committed with synchronous=FULL), stops
# crisisdesk, and checks that every acknowledged reference is in the
# database. It prints each run and the median, and stops by itself.
#
#   bench/feedback.sh
#   RUNS=3 DURATION=5s CONNS=64 bench/feedback.sh
#
# The per-client rate limit is set off (--feedback-rate -1): the bench is
# one client. Everything shares the machine's cores: the load average
# before and after is printed as a hint of noise from other work.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-128}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/crisisdesk" ./cmd/crisisdesk
go build -o "$work/feedback" ./bench/feedback

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$work/feedback" -bin "$work/crisisdesk" -runs "$RUNS" -duration "$DURATION" -conns "$CONNS"
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
echo "($(nproc) cores, $(go version | cut -d' ' -f3))"
