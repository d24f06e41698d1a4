#!/usr/bin/env bash
# Issue [C]: full recalculation of a claim vs the whole PUT request that triggers it, and the
# content parse + compile at start-up. In-process server on SQLite, real HTTP with keep-alive.
#   bench/claims.sh [n]            (PROFILE=dev for the debug build)
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILE=${PROFILE:-release}
if [ "$PROFILE" = dev ]; then
  cargo run -q -p mijn-herstel-tests --example claim_bench -- "${1:-200}"
else
  cargo run -q --release -p mijn-herstel-tests --example claim_bench -- "${1:-200}"
fi
