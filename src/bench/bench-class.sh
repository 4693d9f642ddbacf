#!/usr/bin/env bash
# Builds the project, then runs one of journey-api's benchmark classes (dev.journey.api.bench) with
# the module's test class path — what cost.sh, replicas.sh, segments.sh and segment-recheck.sh share.
#   src/bench/bench-class.sh <Class> [java options…]      (HEAP, default 1g)
set -euo pipefail
cd "$(dirname "$0")/../.."
class=$1
shift
./mvnw -B -q -o install -DskipTests 2>/dev/null || ./mvnw -B -q install -DskipTests
./mvnw -B -q -o -pl journey-api dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp >/dev/null
exec java -Xmx"${HEAP:-1g}" "$@" \
  -cp "journey-api/target/test-classes:journey-api/target/classes:$(cat journey-api/target/bench.cp)" \
  "dev.journey.api.bench.$class"
