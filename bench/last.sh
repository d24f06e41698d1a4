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
# none), PORT (8080), PLAFOND_PORT (8090), WERK (a work folder), PG_PREFIX (database names,
# default mh_last), PG_MAX_CLIENTS (below).
#
# With DB=postgres every product endpoint's cell gets its floor beside it: pgbench running the
# statements one request of that endpoint issues (bench/floors/<scenario>.sql, captured with
# bench/floors/vang.sh), on the same database, with as many clients and as long; the table then
# has the floor's transactions per second and the endpoint's throughput as a share of it.
# pgbench opens one connection per client: above PG_MAX_CLIENTS (default 90, under the
# server's max_connections of 100 with the API's own pool beside it) the floor is left out.
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
SCENARIOS=${SCENARIOS:-health,openapi,get-claim,get-posts,save-answers,slots-week,lawyer-clients}
TRAAG=${TRAAG-}
TRAAG_CLIENTS=${TRAAG_CLIENTS:-1,16}
PORT=${PORT:-8080}
PLAFOND_PORT=${PLAFOND_PORT:-8090}
WERK=${WERK:-$(mktemp -d)}
PG_MAX_CLIENTS=${PG_MAX_CLIENTS:-90}

if [ "${BOUWEN:-ja}" = ja ]; then # BOUWEN=nee: measure the binaries as they are
  echo "== bouwen (release)" >&2
  cargo build --release -q -p mijn-herstel
  # Same target folder: the bench crate reuses what the server build compiled.
  (cd bench/last && CARGO_TARGET_DIR=../../target cargo build --release -q)
fi
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
    naam="${PG_PREFIX:-mh_last}_${n}_$$"
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
  if [ "$DB" = postgres ]; then
    psql "$PG_URL/$naam" -qf bench/floors/mh_id.sql
    kop=1
    for s in ${SCENARIOS//,/ }; do
      for c in ${CLIENTS//,/ }; do
        regel=$("$LAST" --url "http://127.0.0.1:$PORT/v1" --plafond "http://127.0.0.1:$PLAFOND_PORT" \
          --pid "$server" --ouders "$n" --seconden "$SECONDEN" --clients "$c" --scenarios "$s")
        if [ $kop = 1 ]; then printf '%s %9s %7s\n' "$(head -1 <<< "$regel")" "vloer/s" "%vloer"; kop=0; fi
        vloer=-
        if [ -f "bench/floors/$s.sql" ] && [ "$c" -le "$PG_MAX_CLIENTS" ]; then
          vloer=$(pgbench -n -M prepared -f "bench/floors/$s.sql" -c "$c" -j "$((c < 2 ? 1 : 2))" -T "$SECONDEN" \
            -D n="$n" "$PG_URL/$naam?sslmode=disable" 2> "$WERK/pgbench-$s-$c.log" | sed -n 's/^tps = \([0-9.]*\) .*/\1/p')
          vloer=${vloer:-fout}
        fi
        tail -n +2 <<< "$regel" | while IFS= read -r r; do
          rps=$(awk '{print $3}' <<< "$r")
          case $r in "  "*) vloer_r=x ;; *) vloer_r=$vloer ;; esac
          case $vloer_r in
            x) echo "$r" ;;
            -|fout) printf '%s %9s %7s\n' "$r" "$vloer" - ;;
            *) printf '%s %9.0f %6.1f%%\n' "$r" "$vloer" "$(awk -v a="$rps" -v b="$vloer" 'BEGIN { print 100 * a / b }')" ;;
          esac
        done
      done
    done
  else
    "$LAST" --url "http://127.0.0.1:$PORT/v1" --plafond "http://127.0.0.1:$PLAFOND_PORT" \
      --pid "$server" --ouders "$n" --seconden "$SECONDEN" --clients "$CLIENTS" --scenarios "$SCENARIOS"
  fi
  if [ -n "$TRAAG" ]; then
    "$LAST" --url "http://127.0.0.1:$PORT/v1" --plafond "http://127.0.0.1:$PLAFOND_PORT" \
      --pid "$server" --ouders "$n" --seconden "$SECONDEN" --clients "$TRAAG_CLIENTS" --scenarios "$TRAAG" | tail -n +2
  fi
  kill "$server"; wait "$server" 2>/dev/null || true
  if [ "$DB" = postgres ]; then psql "$PG_URL/postgres" -qc "DROP DATABASE $naam" >&2; fi
done
