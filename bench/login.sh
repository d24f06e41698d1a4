#!/usr/bin/env bash
# A full parent login on SQLite, as the app and browser do it, through the development IdP:
# start → IdP page → submit → callback (our OIDC client: discovery cache, token exchange with
# private_key_jwt, ID-token checks, person lookup by blind index, audit) → POST /v1/token →
# GET /v1/mij. Floor: GET /v1/health on the same server in the same run, so the figure is a ratio.
#   bench/login.sh [logins]        (BIN=target/debug/mijn-herstel to measure a debug build)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-50}
BIN=${BIN:-target/release/mijn-herstel}
if [ "$BIN" = target/release/mijn-herstel ]; then cargo build --release -q -p mijn-herstel; fi
[ -x "$BIN" ] || { echo "geen binary: $BIN" >&2; exit 1; }

now_ns() { date +%s%N; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
dir=$(mktemp -d)
(cd "$dir" && MH_HTTP__PORT=$port MH_HTTP__PUBLIC_URL=$base/v1 MH_HTTP__WORKERS=2 \
  MH_LIMITS__LOGIN_PER_MINUTE=100000 MH_LIMITS__TOKEN_PER_MINUTE=100000 MH_LOG__FILTER=warn \
  exec "$OLDPWD/$BIN" serve >/dev/null 2>&1) &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
until curl -fso /dev/null "$base/v1/ready"; do sleep 0.01; done

app=http://localhost:3000/inloggen/klaar
login() {
  local verifier challenge authorize page fields callback code tokens access
  verifier=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
  challenge=$(printf '%s' "$verifier" | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=')
  authorize=$(curl -s -o /dev/null -w '%{redirect_url}' \
    "$base/v1/inloggen/digid?redirectUri=$app&codeChallenge=$challenge")
  page=$(curl -s "$authorize")
  fields=$(printf '%s' "$page" | sed -n 's/.*type="hidden" name="\([a-z_]*\)" value="\([^"]*\)".*/\1=\2/p' | paste -sd'&')
  callback=$(curl -s -o /dev/null -w '%{redirect_url}' -X POST "$base/dev-idp/digid/authorize" \
    --data "$fields&persona=0193a6c2-0000-7000-8000-000000000001&acr=http%3A%2F%2Feidas.europa.eu%2FLoA%2Fsubstantial")
  code=$(curl -s -o /dev/null -w '%{redirect_url}' "$callback" | sed 's/.*code=\([^&]*\).*/\1/')
  tokens=$(curl -s -X POST "$base/v1/token" --data "grant_type=authorization_code&code=$code&code_verifier=$verifier&redirect_uri=$app")
  access=$(printf '%s' "$tokens" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
  curl -fs -o /dev/null -H "Authorization: Bearer $access" "$base/v1/mij"
}

login # warm-up: discovery and JWKS are fetched once, then cached
t0=$(now_ns); for _ in $(seq "$N"); do login; done; t1=$(now_ns)
h0=$(now_ns); for _ in $(seq "$N"); do curl -fso /dev/null "$base/v1/health"; done; h1=$(now_ns)
per_login=$(( (t1 - t0) / N / 1000000 ))
per_health=$(( (h1 - h0) / N / 1000 ))
echo "logins: $N; per login (8 HTTP requests, via curl): ${per_login} ms; GET /v1/health via curl: ${per_health} µs"
awk -v l="$per_login" -v h="$per_health" 'BEGIN { printf "ratio login / health: %.1f× (a login is 8 requests: %.1f× per request)\n", l*1000/h, l*1000/h/8 }'
