#!/usr/bin/env bash
# Track API ingest of two versions in one run, so a change that could slow ingest is measured
# before and after on the same machine state:
#   src/load/compare-track-load.sh <git-rev-before>      (after = the working tree)
set -euo pipefail
cd "$(dirname "$0")/../.."
BEFORE=${1:?usage: compare-track-load.sh <git-rev-before>}
WORK=$(mktemp -d)
trap 'git worktree remove --force "$WORK/before" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
git worktree add --detach "$WORK/before" "$BEFORE" >/dev/null
(cd "$WORK/before" && ./mvnw -B -q -o install -DskipTests -Dmaven.install.skip=true >/dev/null)
./mvnw -B -q -o package -DskipTests >/dev/null
run() {
  local jar=$1 label=$2 port=18090 data key=compare-key-0123456789abcdef
  data=$(mktemp -d)
  JOURNEY_DATA_DIR=$data JOURNEY_DEMO_API_KEY=$key QUARKUS_HTTP_PORT=$port java -jar "$jar" > "$data/engine.log" 2>&1 &
  local engine=$!
  for _ in $(seq 1 120); do grep -q "Journey engine is running" "$data/engine.log" && break; sleep 0.5; done
  grep -q "Journey engine is running" "$data/engine.log" || { echo "$label did not start:"; tail -20 "$data/engine.log"; kill $engine; return 1; }
  echo "== $label"
  java src/load/TrackLoad.java --url "http://127.0.0.1:$port" --key "$key" --batch 100 --threads 4 --seconds "${SECONDS_PER_RUN:-15}" --warmup "${WARMUP:-15}" | grep -E "events/s|latency"
  java src/load/TrackLoad.java --url "http://127.0.0.1:$port" --key "$key" --batch 1 --threads 16 --seconds "${SECONDS_PER_RUN:-15}" --warmup "${WARMUP:-15}" | grep -E "events/s|latency"
  kill $engine; wait $engine 2>/dev/null || true; rm -rf "$data"
}
run "$WORK/before/journey-api/target/quarkus-app/quarkus-run.jar" "before ($BEFORE): batch of 100, then single events"
run journey-api/target/quarkus-app/quarkus-run.jar "after (working tree): batch of 100, then single events"
