#!/usr/bin/env bash
# Time-driven segment membership at scale, on the data of segments.sh (generated once: 1M users,
# 10M events): (a) what the next recheck time adds to one membership check, (b) due users asked
# again per second by a reconcile pass, (c) an idle pass with a recheck row for every user.
#   src/bench/segment-recheck.sh              (USERS=100000 EVENTS=1000000 for a quick run; DUE=20000)
set -euo pipefail
HEAP=${HEAP:-2g} exec "$(dirname "$0")/bench-class.sh" SegmentBenchmark \
  -Dusers="${USERS:-1000000}" -Devents="${EVENTS:-10000000}" -Ddir="${BENCH_DIR:-/tmp/journey-bench}" \
  -Drecheck=true -Ddue="${DUE:-20000}"
