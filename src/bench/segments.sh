#!/usr/bin/env bash
# Segment count at scale. Generates (once) a project with 1M users and 10M events of mixed types
# over 90 days in an embedded PostgreSQL under $BENCH_DIR, then times the count of
# "purchase >= 3 times in the last 30 days with amount >= 5000 AND tag tier = gold".
#   src/bench/segments.sh                     (USERS=100000 EVENTS=1000000 for a quick run)
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -o install -DskipTests -pl templates,journey-worker,journey-api 2>/dev/null || ./mvnw -B -q install -DskipTests
./mvnw -B -q -o -pl journey-api dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp >/dev/null
java -Xmx2g -Dusers="${USERS:-1000000}" -Devents="${EVENTS:-10000000}" -Ddir="${BENCH_DIR:-/tmp/journey-bench}" \
  -cp "journey-api/target/test-classes:journey-api/target/classes:$(cat journey-api/target/bench.cp)" \
  dev.journey.api.bench.SegmentBenchmark
