#!/usr/bin/env bash
# Two API processes and two worker processes on one external PostgreSQL and one Temporal service
# over gRPC (all local): events tracked through both APIs, then the proof that each was dispatched
# once and each message handed off once, and each process's share of the work from its metrics.
#   src/bench/replicas.sh                 (EVENTS=4000)
#   EVENTS=20000 src/bench/replicas.sh
set -euo pipefail
exec "$(dirname "$0")/bench-class.sh" ReplicasBench -Devents="${EVENTS:-4000}"
