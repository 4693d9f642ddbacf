#!/usr/bin/env bash
# Runs the engine in its embedded default: builds once (Maven wrapper, tests skipped) when the
# jar is missing, then starts it. Environment variables as in the README.
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=journey-api/target/quarkus-app/quarkus-run.jar
if [ ! -f "$JAR" ] || [ "${REBUILD:-}" = 1 ]; then
  ./mvnw -B -q install -DskipTests
fi
# JVM options: src/scripts/engine.jvm, then JAVA_OPTS (e.g. -Xmx2g).
# shellcheck disable=SC2086
exec java @src/scripts/engine.jvm ${JAVA_OPTS:-} -jar "$JAR" "$@"
