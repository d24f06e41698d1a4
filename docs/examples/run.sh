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
. "$ROOT/tests/lib/dev-server.sh"
start_dev_server "$BIN" "$OUT" "${EXAMPLES_LOG_FILTER:-warn}"
echo "server on $ORIGIN (fresh database in $OUT/data)"

set +e
BASE="$ORIGIN" bash "$ROOT/docs/examples/journey.sh"
STATUS=$?
set -e
echo "docs/examples/run.sh: $(($(date +%s) - START)) s in total, exit $STATUS"
exit "$STATUS"
