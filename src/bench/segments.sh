#!/usr/bin/env bash
# Segment count at scale. Generates (once) a project with 1M users and 10M events of mixed types
# over 90 days in an embedded PostgreSQL under $BENCH_DIR, then times the count of
# "purchase >= 3 times in the last 30 days with amount >= 5000 AND tag tier = gold".
#   src/bench/segments.sh                     (USERS=100000 EVENTS=1000000 for a quick run)
set -euo pipefail
HEAP=${HEAP:-2g} exec "$(dirname "$0")/bench-class.sh" SegmentBenchmark \
  -Dusers="${USERS:-1000000}" -Devents="${EVENTS:-10000000}" -Ddir="${BENCH_DIR:-/tmp/journey-bench}"
