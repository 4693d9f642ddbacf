#!/usr/bin/env bash
# Every figure of the engine's speed in one run (issue 13): durable ingest beside the bare
# reference and the reference with the engine's two secondary indexes (src/bench/ingest.sh), then
# the embedded runtime (src/bench/RuntimeBench.java): idle memory, event → webhook hand-off latency
# at 100 events/s, a 20,000-entry burst, memory per finished and per waiting journey, restart.
# About 11 minutes; run on a quiet machine.
#   src/bench/all.sh            SKIP_BUILD=1 reuses the jars; RuntimeBench's settings apply (BURST, HANDOFF_RATE, …)
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${SKIP_BUILD:-}" ]; then
  ./mvnw -B -q -o package -DskipTests >/dev/null
  ./mvnw -B -q -f src/bench/reference/pom.xml package >/dev/null
fi
SKIP_BUILD=1 INDEXED_REFERENCE=1 src/bench/ingest.sh
java src/bench/RuntimeBench.java
