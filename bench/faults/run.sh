#!/usr/bin/env bash
# Fault runs (issue [I], item 5): PostgreSQL restarted under load, the server killed with -9 under
# load, and a data source that hangs. Each scenario starts its own server on a free port with its
# own database, cleans up on exit, prints figures and exits non-zero on a lost write or an
# unexpected status. See bench/faults/README.md.
#   bench/faults/run.sh [pg-restart|kill-9|slow-source|all] [options for faults.py]
#   BIN=target/release/mijn-herstel bench/faults/run.sh all    # a binary you built yourself
#   PROFILE=release bench/faults/run.sh all                    # build the release binary first
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"
WHAT=${1:-all}
shift || true
case "$WHAT" in
  pg-restart|kill-9|slow-source) SCENARIOS=("$WHAT") ;;
  all) SCENARIOS=(pg-restart kill-9 slow-source) ;;
  *) echo "gebruik: $0 [pg-restart|kill-9|slow-source|all] [opties van faults.py]" >&2; exit 2 ;;
esac

# Python 3 with requests: the system's when it has it, else a venv beside this script.
PY=python3
if ! python3 -c 'import requests' 2>/dev/null; then
  if [ ! -x "$HERE/.venv/bin/python" ] || ! "$HERE/.venv/bin/python" -c 'import requests' 2>/dev/null; then
    echo "requests ontbreekt: venv in $HERE/.venv"
    python3 -m venv "$HERE/.venv"
    "$HERE/.venv/bin/pip" install -q requests
  fi
  PY=$HERE/.venv/bin/python
fi

# PostgreSQL's binaries for the private cluster (pg-restart, kill-9 on PostgreSQL).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "PostgreSQL-binaries ontbreken: postgresql installeren"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "PostgreSQL-binaries ontbreken (/usr/lib/postgresql/*/bin/initdb); installeer postgresql" >&2
    exit 2
  fi
fi

# The server binary: copied, so a rebuild during the run (or between kill and restart) cannot
# swap it underneath.
if [ -z "${BIN:-}" ]; then
  if [ "${PROFILE:-dev}" = release ]; then
    cargo build --release -q -p mijn-herstel
    BIN=target/release/mijn-herstel
  else
    cargo build -q -p mijn-herstel
    BIN=target/debug/mijn-herstel
  fi
fi
[ -x "$BIN" ] || { echo "geen server-binary: $BIN" >&2; exit 2; }
TMPBIN=$(mktemp -d)
trap 'rm -rf "$TMPBIN"' EXIT
cp "$BIN" "$TMPBIN/mijn-herstel"
echo "server: $BIN ($(stat -c %y "$BIN" | cut -d. -f1))"

status=0
summary=()
for s in "${SCENARIOS[@]}"; do
  t0=$(date +%s)
  echo
  echo "##### $s"
  if "$PY" "$HERE/faults.py" "$s" --bin "$TMPBIN/mijn-herstel" "$@"; then
    summary+=("$s: geslaagd in $(( $(date +%s) - t0 ))s")
  else
    summary+=("$s: MISLUKT in $(( $(date +%s) - t0 ))s")
    status=1
  fi
done
echo
echo "##### samenvatting (cijfers in bench/faults/results/*.json)"
printf '%s\n' "${summary[@]}"
exit "$status"
