#!/usr/bin/env bash
# Time-driven segment membership at scale, on the data of segments.sh (generated once: 1M users,
# 10M events): (a) what the next recheck time adds to one membership check, (b) due users asked
# again per second by a reconcile pass, (c) an idle pass with a recheck row for every user.
#   src/bench/segment-recheck.sh              (USERS=100000 EVENTS=1000000 for a quick run; DUE=20000)
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -o install -DskipTests -pl templates,journey-worker,journey-api 2>/dev/null || ./mvnw -B -q install -DskipTests
./mvnw -B -q -o -pl journey-api dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp >/dev/null
java -Xmx2g -Dusers="${USERS:-1000000}" -Devents="${EVENTS:-10000000}" -Ddir="${BENCH_DIR:-/tmp/journey-bench}" \
  -Drecheck=true -Ddue="${DUE:-20000}" \
  -cp "journey-api/target/test-classes:journey-api/target/classes:$(cat journey-api/target/bench.cp)" \
  dev.journey.api.bench.SegmentBenchmark
