#!/usr/bin/env bash
# Captures the SQL that one request per product endpoint of bench/last.sh issues, from
# PostgreSQL's own statement log: `log_statement = 'all'` on the benchmark's database only, one
# warm-up request per endpoint (prepared statements, caches), then a marker query, the request,
# a marker query. Prints per endpoint the statements in order (with their parameters) and their
# number: what the pgbench scripts beside this file replay, and a profile in itself.
#
#   bench/floors/vang.sh mh_j_pop 70000 > vang.txt
#
# Needs a seeded database (`seed-demo --ouders N`), the release server (BIN) and the token
# printer (`cargo build -p mijn-herstel-tests --example bench_token`), and read access
# to the server's log file (LOG, default: Debian's /var/log/postgresql/postgresql-15-main.log).
set -euo pipefail
cd "$(dirname "$0")/../.."

DB=${1:?database}
N=${2:-70000}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
BIN=${BIN:-target/release/mijn-herstel}
TOKEN=${TOKEN:-target/debug/examples/bench_token}
LOG=${LOG:-/var/log/postgresql/postgresql-15-main.log}
PORT=${PORT:-18480}
base=http://127.0.0.1:$PORT/v1

export MH_HTTP__PORT=$PORT MH_HTTP__PUBLIC_URL=$base MH_LOG__FILTER=warn \
  MH_LIMITS__SUBJECT_PER_MINUTE=100000000 MH_LIMITS__GEVOELIG_PER_MINUTE=100000000 \
  MH_DEMO__SEED_ON_EMPTY=false MH_NOTIFY__WORKER=false \
  MH_DATABASE__URL="$PG_URL/$DB?sslmode=disable"

psql "$PG_URL/postgres" -qc "ALTER DATABASE $DB SET log_statement = 'all'"
server=
stop() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  psql "$PG_URL/postgres" -qc "ALTER DATABASE $DB RESET log_statement"
}
trap stop EXIT
begin=$(stat -c %s "$LOG")
"$BIN" serve > /dev/null 2>&1 &
server=$!
until curl -fso /dev/null "$base/ready"; do sleep 0.1; done

# Parent i's claim status follows (37i + 11) mod 100 (api/src/demo/ouder.rs `status_van`):
# 8..32 a draft, 68..75 an open offer; both hold a session.
ouder_met() { # lowest plek, highest plek, how many to skip
  local i=$3 p
  while :; do p=$(((37 * i + 11) % 100)); [ "$p" -ge "$1" ] && [ "$p" -le "$2" ] && break; i=$((i + 1)); done
  echo "$i"
}
concept=$(ouder_met 8 32 $((N / 2)))
aanbod=$(ouder_met 68 75 $((N / 2)))
t_concept=$("$TOKEN" ouder "$concept")
t_aanbod=$("$TOKEN" ouder "$aanbod")
t_lotte=$("$TOKEN" persona 0193a6c2-0000-7000-8000-000000000011)
# The seeder's ids in SQL (mh_id.sql): also checks that function against the seeded rows.
psql "$PG_URL/$DB" -qf bench/floors/mh_id.sql
claim() { psql "$PG_URL/$DB" -Atc "SELECT id FROM aanvraag WHERE id = mh_id('aanvraag', $1)"; }
c_concept=$(claim "$concept")
c_aanbod=$(claim "$aanbod")
[ -n "$c_concept" ] && [ -n "$c_aanbod" ] || { echo "mh_id vindt de aanvragen niet" >&2; exit 1; }
van=$(date -u -d '+7 days' +%F)
tot=$(date -u -d '+13 days' +%F)
antwoorden='{"antwoorden": {"start.erkend": true, "start.ib-definitief": true, "start.eerder-afgewikkeld": "nee", "start.advocaat": false, "start.taal": "nl"}}'

verzoek() { # name
  case $1 in
    get-claim) curl -fso /dev/null -H "Authorization: Bearer $t_aanbod" "$base/aanvragen/$c_aanbod" ;;
    get-posts) curl -fso /dev/null -H "Authorization: Bearer $t_aanbod" "$base/aanvragen/$c_aanbod/schadeposten" ;;
    save-answers)
      local tag
      tag=$(curl -fsD - -o /dev/null -H "Authorization: Bearer $t_concept" "$base/aanvragen/$c_concept" | tr -d '\r' | sed -n 's/^etag: //Ip')
      [ "${2:-}" = mark ] && psql "$PG_URL/$DB" -qAtc "SELECT 'vang begin $1'" > /dev/null
      curl -fso /dev/null -X PUT -H "Authorization: Bearer $t_concept" -H "If-Match: $tag" \
        -H 'Content-Type: application/json' -d "$antwoorden" "$base/aanvragen/$c_concept/stappen/start" ;;
    slots-week) curl -fso /dev/null -H "Authorization: Bearer $t_concept" \
      "$base/tijdsloten?soort=herstelrechtgesprek&vorm=video&van=$van&tot=$tot" ;;
    lawyer-clients) curl -fso /dev/null -H "Authorization: Bearer $t_lotte" "$base/clienten?pageSize=20" ;;
  esac
}

for e in get-claim get-posts save-answers slots-week lawyer-clients; do
  verzoek "$e"
  [ "$e" = save-answers ] || psql "$PG_URL/$DB" -qAtc "SELECT 'vang begin $e'" > /dev/null
  verzoek "$e" mark
  psql "$PG_URL/$DB" -qAtc "SELECT 'vang einde $e'" > /dev/null
done
sleep 0.5
echo "# concept $concept"
echo "# aanbod $aanbod"

# One line per statement: the log line of the statement (`execute <name>: …` for a prepared
# one, `statement: …` for a simple query) and its parameters (a DETAIL line) joined.
tail -c +"$((begin + 1))" "$LOG" | awk -v db="@$DB " '
  index($0, db) && / LOG:  (statement|execute [^:]*): / { if (s != "") print s; sub(/.* LOG:  (statement|execute [^:]*): /, ""); s = $0; next }
  index($0, db) && / DETAIL:  parameters: / { sub(/.* DETAIL:  parameters: /, ""); s = s "   -- " $0; next }
  END { if (s != "") print s }' | awk '
  /^SELECT .vang begin / { naam = $4; sub(/.$/, "", naam); n = 0; print "== " naam; aan = 1; next }
  /^SELECT .vang einde / { print "-- " n " statements"; aan = 0; next }
  aan { n++; print n ". " $0 }'
