#!/usr/bin/env bash
# Renders/s of a typical push and e-mail template, 1 and 2 threads (templates/…/bench/TemplateBench).
# Usage: src/bench/templates.sh [seconds-per-figure]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
CP_FILE=templates/target/bench.classpath
./mvnw -B -q -o -pl templates test-compile dependency:build-classpath \
  -Dmdep.outputFile="$PWD/$CP_FILE" -Dmdep.includeScope=test >/dev/null
exec java -Xms256m -Xmx512m -cp "templates/target/test-classes:templates/target/classes:$(cat "$CP_FILE")" \
  dev.journey.templates.bench.TemplateBench "${1:-5}"
