# Sourced by the scripts that drive a fresh development server over HTTP (tests/browser/run.sh,
# docs/examples/run.sh, clients/typescript/run.sh): one way to start it, wait for it and stop it.
#
#   start_dev_server BIN OUT [LOG_FILTER]
#
# Starts BIN in development mode on a free port with a fresh SQLite database, evidence and mail
# under OUT/data (the demo persons and the experts' office hours are seeded on the empty
# database), logs to OUT/server.log, stops it on exit, and returns once /v1/ready answers. Sets
# PORT, ORIGIN and SERVER; `stop_dev_server` stops it earlier.

start_dev_server() {
  local bin=$1 out=$2 filter=${3:-warn}
  mkdir -p "$out/data"
  PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  ORIGIN="http://127.0.0.1:$PORT"
  env MH_MODE=development \
    MH_HTTP__HOST=127.0.0.1 \
    MH_HTTP__PORT="$PORT" \
    MH_HTTP__PUBLIC_URL="$ORIGIN/v1" \
    MH_DATABASE__URL="sqlite://$out/data/mijn-herstel.db?mode=rwc" \
    MH_BEWIJS__MAP="$out/data/bewijs" \
    MH_NOTIFY__MAP="$out/data/mail" \
    MH_DEMO__SEED_ON_EMPTY=true \
    MH_LOG__FORMAT=json \
    MH_LOG__FILTER="$filter" \
    "$bin" serve >"$out/server.log" 2>&1 &
  SERVER=$!
  trap stop_dev_server EXIT
  for _ in $(seq 1 300); do
    if curl -fsS "$ORIGIN/v1/ready" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$SERVER" 2>/dev/null; then
      echo "server stopped; log:" >&2
      cat "$out/server.log" >&2
      exit 1
    fi
    sleep 0.2
  done
  curl -fsS "$ORIGIN/v1/ready" >/dev/null
}

stop_dev_server() {
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
}
