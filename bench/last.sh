#!/usr/bin/env bash
# [J] load benchmark: the release server on a seeded population, driven by bench/last (fixed
# connections, fixed time, each connection its own seeded parent, claim and ETag), beside the
# ceiling (bench/last `plafond`: a bare actix-web server with a body of the same size) in the
# same run. Prints one table per population.
#
#   bench/last.sh                       # SQLite; populations of 1,100 and 70,000 parents
#   DB=postgres bench/last.sh           # a fresh PostgreSQL database on 127.0.0.1:5432
#   POPULATIES=70000 SECONDEN=5 CLIENTS=1,64 SCENARIOS=get-claim,save-answers bench/last.sh
#
# Environment: DB (sqlite|postgres), PG_URL (admin URL, default postgres://postgres@127.0.0.1:5432),
# POPULATIES, SECONDEN, CLIENTS, SCENARIOS, TRAAG (scenarios run only at TRAAG_CLIENTS, default
# lawyer-clients at 1,16: one request reads every client of the demo lawyer, ~7,000 at 70,000
# parents), PORT (8080), PLAFOND_PORT (8090), WERK (a work folder).
#
# 1,100 parents is the "empty" database: the smallest population that still gives each of 256
# connections its own draft (a quarter of the parents has one).
set -euo pipefail
cd "$(dirname "$0")/.."

DB=${DB:-sqlite}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
POPULATIES=${POPULATIES:-"1100 70000"}
SECONDEN=${SECONDEN:-10}
CLIENTS=${CLIENTS:-1,16,64,256}
SCENARIOS=${SCENARIOS:-health,openapi,get-claim,get-posts,save-answers,slots-week}
TRAAG=${TRAAG-lawyer-clients}
TRAAG_CLIENTS=${TRAAG_CLIENTS:-1,16}
PORT=${PORT:-8080}
PLAFOND_PORT=${PLAFOND_PORT:-8090}
WERK=${WERK:-$(mktemp -d)}

echo "== bouwen (release)" >&2
cargo build --release -q -p mijn-herstel
# Same target folder: the bench crate reuses what the server build compiled.
(cd bench/last && CARGO_TARGET_DIR=../../target cargo build --release -q)
BIN=target/release/mijn-herstel
LAST=target/release/last
PLAFOND=target/release/plafond

pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; pids=(); }
trap stop EXIT

# The server as the benchmark runs it: development mode (the seeded sessions and development
# keys), logs at warn (a log line per request would measure the terminal), abuse limits out of
# the way (one parent per connection saves far more often than 600 times a minute), no demo
# seeding on start, no mail worker.
export MH_HTTP__PORT=$PORT MH_HTTP__PUBLIC_URL=http://127.0.0.1:$PORT/v1 MH_LOG__FILTER=warn \
  MH_LIMITS__SUBJECT_PER_MINUTE=100000000 MH_LIMITS__GEVOELIG_PER_MINUTE=100000000 \
  MH_DEMO__SEED_ON_EMPTY=false MH_NOTIFY__WORKER=false

"$PLAFOND" --port "$PLAFOND_PORT" > "$WERK/plafond.log" 2>&1 &
pids+=($!)

for n in $POPULATIES; do
  if [ "$DB" = postgres ]; then
    naam="mh_last_${n}_$$"
    psql "$PG_URL/postgres" -qc "CREATE DATABASE $naam" >&2
    # TLS over loopback makes sqlx's large writes stall on delayed ACKs (bench/README.md).
    export MH_DATABASE__URL="$PG_URL/$naam?sslmode=disable"
  else
    export MH_DATABASE__URL="sqlite://$WERK/last-$n.db"
  fi
  echo "== $n ouders zaaien ($DB)" >&2
  "$BIN" seed-demo --ouders "$n" | sed -n 2,3p >&2
  if [ "$DB" = postgres ]; then
    # After a bulk load autovacuum would start during the first cells; do its work up front.
    psql "$PG_URL/$naam" -qc "VACUUM ANALYZE" >&2
    psql "$PG_URL/$naam" -Atc "SELECT 'database: ' || pg_size_pretty(pg_database_size('$naam'))" >&2
  else
    echo "database: $(du -ch "$WERK/last-$n.db"* | tail -1 | cut -f1)" >&2
  fi
  "$BIN" serve > "$WERK/server-$n.log" 2>&1 &
  server=$!
  pids+=($server)
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$PORT/v1/ready" > /dev/null && break
    sleep 0.1
  done
  echo "== $n ouders, $DB, ${SECONDEN}s per cel" 
  "$LAST" --url "http://127.0.0.1:$PORT/v1" --plafond "http://127.0.0.1:$PLAFOND_PORT" \
    --pid "$server" --ouders "$n" --seconden "$SECONDEN" --clients "$CLIENTS" --scenarios "$SCENARIOS"
  if [ -n "$TRAAG" ]; then
    "$LAST" --url "http://127.0.0.1:$PORT/v1" --plafond "http://127.0.0.1:$PLAFOND_PORT" \
      --pid "$server" --ouders "$n" --seconden "$SECONDEN" --clients "$TRAAG_CLIENTS" --scenarios "$TRAAG" | tail -n +2
  fi
  kill "$server"; wait "$server" 2>/dev/null || true
  if [ "$DB" = postgres ]; then psql "$PG_URL/postgres" -qc "DROP DATABASE $naam" >&2; fi
done
