#!/usr/bin/env bash
# Two API processes and two worker processes on one external PostgreSQL and one Temporal service
# over gRPC (all local): events tracked through both APIs, then the proof that each was dispatched
# once and each message handed off once, and each process's share of the work from its metrics.
#   src/bench/replicas.sh                 (EVENTS=4000)
#   EVENTS=20000 src/bench/replicas.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -o install -DskipTests 2>/dev/null || ./mvnw -B -q install -DskipTests
./mvnw -B -q -o -pl journey-api dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp >/dev/null
exec java -Xmx1g -Devents="${EVENTS:-4000}" \
  -cp "journey-api/target/test-classes:journey-api/target/classes:$(cat journey-api/target/bench.cp)" \
  dev.journey.api.bench.ReplicasBench
