#!/usr/bin/env bash
# What one event, one journey entry and its message, and one further step and message cost in
# PostgreSQL writes (transactions, rows, WAL) and Temporal history events: the measured inputs of
# the capacity model in src/docs/scaling.md. One API process and one worker on an external
# PostgreSQL and Temporal over gRPC, all local.
#   src/bench/cost.sh                 (N=2000 per phase)
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -o install -DskipTests 2>/dev/null || ./mvnw -B -q install -DskipTests
./mvnw -B -q -o -pl journey-api dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp >/dev/null
exec java -Xmx1g -Dn="${N:-2000}" \
  -cp "journey-api/target/test-classes:journey-api/target/classes:$(cat journey-api/target/bench.cp)" \
  dev.journey.api.bench.CostBench
