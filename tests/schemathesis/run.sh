#!/usr/bin/env bash
# Property-based API testing with schemathesis against openapi/openapi.json.
#
# Builds and starts the server on a free port (development mode, fresh SQLite database, demo
# persons), logs demo people in through the development IdP and runs `schemathesis run` over every
# operation with all checks, a fixed seed and a bounded number of examples. Prints operations,
# cases and failures, lists the operations that never answered 2xx, and exits non-zero when
# schemathesis found a failure.
#
#   bash tests/schemathesis/run.sh [extra schemathesis options]
#
# ST_SEED (default 20261203) and ST_MAX_EXAMPLES (default 50) change the seed and the number of
# examples per operation, ST_WORKERS (default 1) the concurrent workers, ST_SPEC the document
# tested (default openapi/openapi.json). Extra arguments go to `schemathesis run`. Output (server
# log, database, schemathesis log, JUnit report, summary.json) lands in target/schemathesis/.
# (No MH_ prefix: the server reads every MH_* variable as configuration and refuses unknown ones.)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/tests/schemathesis"
cd "$ROOT"

VERSION=4.32.5
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
VENV="$TARGET/schemathesis-venv"
OUT="$TARGET/schemathesis"
SEED=${ST_SEED:-20261203}
EXAMPLES=${ST_MAX_EXAMPLES:-50}
WORKERS=${ST_WORKERS:-1}
SPEC=${ST_SPEC:-$ROOT/openapi/openapi.json}

# 1. schemathesis, pinned, in its own venv
if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -qF "$VERSION"; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$VERSION"
fi

# 2. the server, on a free port, with a fresh database
cargo build -q -p mijn-herstel
BIN="$TARGET/debug/mijn-herstel"
rm -rf "$OUT"
mkdir -p "$OUT/data" "$OUT/report"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ORIGIN="http://127.0.0.1:$PORT"

# The abuse limits are raised: the fuzzer sends thousands of requests per minute as one person.
env MH_MODE=development \
  MH_HTTP__HOST=127.0.0.1 \
  MH_HTTP__PORT="$PORT" \
  MH_HTTP__PUBLIC_URL="$ORIGIN/v1" \
  MH_DATABASE__URL="sqlite://$OUT/data/mijn-herstel.db?mode=rwc" \
  MH_BEWIJS__MAP="$OUT/data/bewijs" \
  MH_NOTIFY__MAP="$OUT/data/mail" \
  MH_DEMO__SEED_ON_EMPTY=true \
  MH_LIMITS__LOGIN_PER_MINUTE=100000 \
  MH_LIMITS__TOKEN_PER_MINUTE=100000 \
  MH_LIMITS__SUBJECT_PER_MINUTE=1000000 \
  MH_LIMITS__GEVOELIG_PER_MINUTE=100000 \
  MH_LOG__FORMAT=json \
  MH_LOG__FILTER="${ST_LOG_FILTER:-warn}" \
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

# 3. a demo parent's token (the hooks log in the other roles the same way)
"$VENV/bin/python" "$HERE/login.py" "$ORIGIN" >/dev/null
echo "server on $ORIGIN, demo parent logged in through the development IdP"

# 4. schemathesis
START=$(date +%s)
set +e
(
  cd "$OUT"
  PYTHONPATH="$HERE" SCHEMATHESIS_HOOKS=hooks ST_ORIGIN="$ORIGIN" ST_STATUS_LOG="$OUT/statuses.ndjson" \
    "$VENV/bin/schemathesis" --config-file "$HERE/schemathesis.toml" run "$SPEC" \
    --url "$ORIGIN/v1" \
    --checks all \
    --phases examples,coverage,fuzzing,stateful \
    --max-examples "$EXAMPLES" \
    --seed "$SEED" \
    --workers "$WORKERS" \
    --generation-database none \
    --request-timeout 30 \
    --report junit \
    --report-junit-path "$OUT/report/junit.xml" \
    --no-color \
    "$@"
) 2>&1 | tee "$OUT/schemathesis.log"
STATUS=${PIPESTATUS[0]}
set -e
ELAPSED=$(($(date +%s) - START))

# 5. the summary: operations, cases, failures, and operations without any 2xx
"$VENV/bin/python" "$HERE/summary.py" \
  --spec "$SPEC" \
  --junit "$OUT/report/junit.xml" \
  --log "$OUT/schemathesis.log" \
  --statuses "$OUT/statuses.ndjson" \
  --seconds "$ELAPSED" \
  --out "$OUT/summary.json"

# Errors the server logged, except actix refusing a malformed request line or header (schemathesis
# probes whether NUL bytes in headers get through; they do not).
ERRORS=$(grep '"level":"ERROR"' "$OUT/server.log" | grep -cv 'actix_http::h1::dispatcher' || true)
if [ "$ERRORS" -gt 0 ]; then
  echo "server logged $ERRORS errors: see $OUT/server.log"
fi
exit "$STATUS"
