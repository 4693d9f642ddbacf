#!/usr/bin/env bash
# The embedded runtime's figures: burst entries/s, time until the last journey ends, stranded
# instances, live heap per finished and per waiting journey, restart time with active instances.
#   src/bench/runtime.sh                          (builds first if the jar is missing)
#   BURST=20000 FINISHED=100000 WAITING=10000 src/bench/runtime.sh
#   JAR=/elsewhere/journey-api/target/quarkus-app/quarkus-run.jar src/bench/runtime.sh   (another build)
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f journey-api/target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q install -DskipTests
exec java src/bench/RuntimeBench.java
