#!/usr/bin/env bash
# The generated TypeScript client against a real server: proves openapi/openapi.json is enough for
# an app developer. One command for CI:
#
#   bash clients/typescript/run.sh
#
# 1. npm ci (pinned by package-lock.json), 2. types generated from ../../openapi/openapi.json by
# openapi-typescript, 3. the syntax rules (no `as`, `any`, `!`, ts directives) and `tsc --noEmit`
# (strict), 4. build to dist/, 5. the server on a free port with a fresh SQLite database in
# development mode, 6. the parent journey (src/journey.ts) with every response checked against the
# document, 7. the server stopped and a summary line printed. Exits non-zero when any step fails.
#
# BIN is the server binary (default $CARGO_TARGET_DIR/debug/mijn-herstel, built with
# `cargo build -q -p mijn-herstel` when missing). Output (server log, database, summary.json) lands
# in target/ts-client/. (No MH_ prefix for our own variables: the server reads every MH_* variable
# as configuration and refuses unknown ones.)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
OUT="$TARGET/ts-client"
BIN=${BIN:-$TARGET/debug/mijn-herstel}
SPEC="$ROOT/openapi/openapi.json"
T0=$(date +%s.%N)

step() { printf '== %s\n' "$*"; }

# 1-4. dependencies, types, checks, build
cd "$HERE"
step "npm ci"
npm ci --no-audit --no-fund --prefer-offline --loglevel=error
step "types from $SPEC"
npm run -s generate  # see package.json: openapi-typescript, flags in one place
step "rules and tsc --noEmit (strict)"
node scripts/rules.mjs
npx --no-install tsc --noEmit
step "build"
rm -rf dist
npx --no-install tsc

# 5. the server, on a free port, with a fresh database
if [ ! -x "$BIN" ]; then
  step "building the server ($BIN is missing)"
  (cd "$ROOT" && cargo build -q -p mijn-herstel)
fi
rm -rf "$OUT"
mkdir -p "$OUT/data"
. "$ROOT/tests/lib/dev-server.sh"
step "server ($BIN)"
start_dev_server "$BIN" "$OUT" "${TS_LOG_FILTER:-warn}"
step "server on $ORIGIN"

# 6. the journey
step "journey"
set +e
TS_OPENAPI="$SPEC" TS_SUMMARY="$OUT/summary.json" node dist/journey.js "$ORIGIN"
STATUS=$?
set -e

# 7. stop the server, summarise
stop_dev_server
trap - EXIT
ERRORS=$(grep -c '"level":"ERROR"' "$OUT/server.log" || true)
if [ "$ERRORS" -gt 0 ]; then
  echo "server logged $ERRORS errors: see $OUT/server.log"
fi
if [ "$STATUS" -ne 0 ]; then
  echo "ts-client: FAILED (server log: $OUT/server.log)"
  exit "$STATUS"
fi
TOTAL=$(node -e "console.log((($(date +%s.%N)) - $T0).toFixed(1))")
node -e '
  const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`ts-client: ${s.requests} operations called (${s.operations} of ${s.documentedOperations} documented operations), ` +
    `${s.validated} responses validated, ${s.skippedKnownDefects.length} checks skipped for known document defects, ` +
    `journey ${s.seconds} s, total ${process.argv[2]} s`);
' "$OUT/summary.json" "$TOTAL"
