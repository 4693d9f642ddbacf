#!/usr/bin/env bash
# What one event, one journey entry and its message, and one further step and message cost in
# PostgreSQL writes (transactions, rows, WAL) and Temporal history events: the measured inputs of
# the capacity model in src/docs/scaling.md. One API process and one worker on an external
# PostgreSQL and Temporal over gRPC, all local.
#   src/bench/cost.sh                 (N=2000 per phase)
set -euo pipefail
exec "$(dirname "$0")/bench-class.sh" CostBench -Dn="${N:-2000}"
