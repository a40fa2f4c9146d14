#!/usr/bin/env bash
# bench/evaluation.sh — the quarterly dashboard and the lessons library on
# ten years of synthetic history (2,000 crises, 50,000 notices with 10
# deliveries each public one, 200 drills), through the real app over HTTP,
# on SQLite and, when CRISISDESK_TEST_POSTGRES names a server, PostgreSQL.
#
#   bench/evaluation.sh
#   CRISISDESK_TEST_POSTGRES='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' bench/evaluation.sh
#   EVAL_BENCH_SCALE=0.1 bench/evaluation.sh     # a tenth of the history, for a quick check
#
# Seeding is bulk SQL (storetest.SeedHistory); the library is indexed
# once, then each page is fetched COUNT times. The figures go in
# docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-10}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
go test ./internal/web/evaluation/ -run '^$' -bench 'BenchmarkEvaluation' -benchtime "${COUNT}x" -timeout 60m
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
