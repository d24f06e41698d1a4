#!/usr/bin/env bash
# Start-to-ready on SQLite: from process start until GET /v1/ready answers 200, for a fresh
# database (migrations applied on start) and for an existing one. The floor is the same binary
# doing no work (`--version`), measured in the same run, so the figure is a ratio too.
#   bench/startup.sh [runs]        (BIN=target/debug/mijn-herstel to measure a debug build)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-20}
BIN=${BIN:-target/release/mijn-herstel}
if [ "$BIN" = target/release/mijn-herstel ]; then cargo build --release -q -p mijn-herstel; fi
[ -x "$BIN" ] || { echo "geen binary: $BIN" >&2; exit 1; }

now_ns() { date +%s%N; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

measure_start() { # $1: data dir; prints ms until /v1/ready is 200
  local dir=$1 port; port=$(free_port)
  local t0; t0=$(now_ns)
  (cd "$dir" && MH_HTTP__PORT=$port MH_HTTP__WORKERS=2 MH_LOG__FILTER=warn exec "$OLDPWD/$BIN" serve >/dev/null 2>&1) &
  local pid=$!
  until curl -fso /dev/null "http://127.0.0.1:$port/v1/ready"; do sleep 0.002; done
  local t1; t1=$(now_ns)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo $(( (t1 - t0) / 1000000 ))
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

fresh=(); warm=(); floor=()
for _ in $(seq "$RUNS"); do
  d=$(mktemp -d)
  fresh+=("$(measure_start "$d")")
  warm+=("$(measure_start "$d")")
  rm -rf "$d"
  t0=$(now_ns); "$BIN" --version >/dev/null; t1=$(now_ns)
  floor+=("$(( (t1 - t0) / 1000000 ))")
done
f=$(printf '%s\n' "${fresh[@]}" | median)
w=$(printf '%s\n' "${warm[@]}" | median)
z=$(printf '%s\n' "${floor[@]}" | median)
printf '%-44s %8s\n' "start-to-ready, median of $RUNS ($BIN)" "ms"
printf '%-44s %8s\n' "fresh SQLite database (creates + migrates)" "$f"
printf '%-44s %8s\n' "existing SQLite database" "$w"
printf '%-44s %8s\n' "floor: same binary, --version" "$z"
awk -v f="$f" -v w="$w" -v z="$z" 'BEGIN { d = (z > 0 ? z : 1); printf "ratio fresh/floor %.1f, existing/floor %.1f\n", f/d, w/d }'
