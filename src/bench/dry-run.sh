#!/usr/bin/env bash
# A journey's dry run over 100,000 stored events of 10,000 users (issue 16): prints events, users,
# entries and seconds for a cold and a warm run. Target: under 30 s on a 2-core machine.
#   src/bench/dry-run.sh                       (builds the engine first if the jar is missing)
#   EVENTS=1000000 USERS=100000 src/bench/dry-run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f journey-api/target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q -o package -DskipTests -pl templates,journey-worker,src/sdk/java,journey-api
exec java src/bench/DryRunBench.java
