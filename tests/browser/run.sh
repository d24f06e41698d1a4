#!/usr/bin/env bash
# A real browser against a real server: the DigiD-style login through the development IdP's HTML
# pages and the Swagger UI at /v1/docs (every operation listed, nothing loaded from another host).
#
#   bash tests/browser/run.sh
#
# Installs Debian's chromium with apt-get when /usr/bin/chromium is missing, runs `npm ci`
# (playwright-core, pinned in package-lock.json; it downloads no browser), builds and starts the
# server on a free port with a fresh SQLite database and the demo persons, and runs browser.mjs.
# Output (server log, database, screenshots) lands in target/browser/. Exit code non-zero on any
# failed check. (Its own variables have no MH_ prefix: the server reads every MH_* as configuration.)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/tests/browser"
cd "$ROOT"
START=$(date +%s)

TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
OUT="$TARGET/browser"

# 1. Chromium from Debian (the one playwright drives; no browser download from a CDN)
if [ ! -x /usr/bin/chromium ]; then
  echo "installing chromium (apt-get)"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
/usr/bin/chromium --version

# 2. playwright-core, exactly as locked
(cd "$HERE" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)

# 3. the server, on a free port, with a fresh database
if [ -z "${BROWSER_NO_BUILD:-}" ]; then cargo build -q -p mijn-herstel; fi
BIN="$TARGET/debug/mijn-herstel"
rm -rf "$OUT"
mkdir -p "$OUT/data" "$OUT/screenshots"
. "$ROOT/tests/lib/dev-server.sh"
start_dev_server "$BIN" "$OUT" "${BROWSER_LOG_FILTER:-warn}"
echo "server on $ORIGIN (fresh database in $OUT/data)"

# 4. the browser
set +e
node "$HERE/browser.mjs" "$ORIGIN" "$OUT/screenshots"
STATUS=$?
set -e
echo "tests/browser/run.sh: $(($(date +%s) - START)) s in total, exit $STATUS"
exit "$STATUS"
