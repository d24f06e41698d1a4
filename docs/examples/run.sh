#!/usr/bin/env bash
# Runs docs/examples/journey.sh against a fresh server, so the examples in the docs cannot rot.
#
#   bash docs/examples/run.sh
#
# Builds the server, starts it on a free port in development mode with a fresh SQLite database
# (the demo persons are seeded on the empty database), waits for /v1/ready, runs journey.sh with
# BASE pointing at it and exits with journey.sh's exit code. Output (server log, database, mail
# files) lands in target/examples/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
START=$(date +%s)

TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
OUT="$TARGET/examples"

# journey.sh reads JSON with jq (Debian package), as the examples show it.
if ! command -v jq >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null
fi
if [ -z "${EXAMPLES_NO_BUILD:-}" ]; then cargo build -q -p mijn-herstel; fi
BIN="$TARGET/debug/mijn-herstel"
rm -rf "$OUT"
mkdir -p "$OUT/data"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ORIGIN="http://127.0.0.1:$PORT"

env MH_MODE=development \
  MH_HTTP__HOST=127.0.0.1 \
  MH_HTTP__PORT="$PORT" \
  MH_HTTP__PUBLIC_URL="$ORIGIN/v1" \
  MH_DATABASE__URL="sqlite://$OUT/data/mijn-herstel.db?mode=rwc" \
  MH_BEWIJS__MAP="$OUT/data/bewijs" \
  MH_NOTIFY__MAP="$OUT/data/mail" \
  MH_DEMO__SEED_ON_EMPTY=true \
  MH_LOG__FORMAT=json \
  MH_LOG__FILTER="${EXAMPLES_LOG_FILTER:-warn}" \
  "$BIN" serve >"$OUT/server.log" 2>&1 &
SERVER=$!
cleanup() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
trap cleanup EXIT

for _ in $(seq 1 300); do
  if curl -fsS "$ORIGIN/v1/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVER" 2>/dev/null; then
    echo "server stopped; log:" >&2
    cat "$OUT/server.log" >&2
    exit 1
  fi
  sleep 0.2
done
curl -fsS "$ORIGIN/v1/ready" >/dev/null
echo "server on $ORIGIN (fresh database in $OUT/data)"

set +e
BASE="$ORIGIN" bash "$ROOT/docs/examples/journey.sh"
STATUS=$?
set -e
echo "docs/examples/run.sh: $(($(date +%s) - START)) s in total, exit $STATUS"
exit "$STATUS"
