#!/usr/bin/env bash
# Measures the track API's sustained ingest on this machine: starts the engine (embedded
# PostgreSQL, in-process Temporal) on a throw-away data directory, runs the load with
# 100-event batches and with single events, prints the figures, stops the engine.
#   src/load/run-track-load.sh            (builds first if the jar is missing)
#   SECONDS_PER_RUN=30 THREADS=8 src/load/run-track-load.sh
#   EVENT_IDS=true src/load/run-track-load.sh   (every event with a unique eventId, as the SDKs send)
#   JAR=/path/to/quarkus-app/quarkus-run.jar src/load/run-track-load.sh   (another build, e.g. a copy of a past one)
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=${JAR:-journey-api/target/quarkus-app/quarkus-run.jar}
[ -f "$JAR" ] || ./mvnw -B -q install -DskipTests
PORT=${PORT:-18080}
DATA=$(mktemp -d)
KEY=load-test-key-0123456789abcdef
export JOURNEY_DATA_DIR=$DATA JOURNEY_DEMO_API_KEY=$KEY QUARKUS_HTTP_PORT=$PORT
java -jar "$JAR" > "$DATA/engine.log" 2>&1 &
ENGINE=$!
trap 'kill $ENGINE 2>/dev/null; wait $ENGINE 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 120); do
  grep -q "Journey engine is running" "$DATA/engine.log" 2>/dev/null && break
  sleep 0.5
done
grep -q "Journey engine is running" "$DATA/engine.log" || { cat "$DATA/engine.log"; exit 1; }
RUN=${SECONDS_PER_RUN:-20}
echo "== 100-event batches"
java src/load/TrackLoad.java --url "http://127.0.0.1:$PORT" --key "$KEY" --batch 100 --threads "${THREADS:-4}" --seconds "$RUN" --warmup "${WARMUP:-15}" --event-ids "${EVENT_IDS:-false}"
echo "== single events"
java src/load/TrackLoad.java --url "http://127.0.0.1:$PORT" --key "$KEY" --batch 1 --threads "${THREADS:-16}" --seconds "$RUN" --warmup "${WARMUP:-15}" --event-ids "${EVENT_IDS:-false}"
