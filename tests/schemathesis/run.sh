#!/usr/bin/env bash
# Property-based API testing with schemathesis against openapi/openapi.json (issue [I] item 2).
#
# Installs schemathesis (pinned) in a venv under target/ when missing, then runs the black-box
# test `schemathesis_over_every_operation` (tests/tests/api/schemathesis.rs): it starts the server
# on a random port with a fresh SQLite database, builds the access matrix's world through the API
# and hands over to wereld.py — the rightful call of every operation as a schemathesis case, then
# `schemathesis run` over every operation with the world's identifiers pinned. Exits non-zero on
# any failure or any operation that never reached its success status. About 2½ minutes.
#
#   bash tests/schemathesis/run.sh
#
# ST_SEED (default 20261203), ST_MAX_EXAMPLES (default 50) and ST_ARGS (extra `schemathesis run`
# options, e.g. "--include-operation-id aanvraagMaken") change the run. Output (wereld.json, the
# generated config, schemathesis.log, statuses.ndjson, report/junit.xml, summary.json) lands in
# target/schemathesis/. (No MH_ prefix: the server reads every MH_* variable as configuration.)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

VERSION=4.32.5
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
VENV="$TARGET/schemathesis-venv"

if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -qF "$VERSION"; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$VERSION"
fi

MH_SCHEMATHESIS_PYTHON="$VENV/bin/python" \
  cargo test -q -p mijn-herstel-tests --test api schemathesis_over_every_operation -- --nocapture
