#!/usr/bin/env bash
# load_check.sh [PDF] — start one docmill server on a free port with a fresh data dir, send
# UPLOADS (20) concurrent uploads of a 10-page scanned PDF plus RATE (200) /status requests per
# second for SECS (60) seconds, print errors, /status p50/p99, jobs completed and the server's
# peak RSS, then stop the server with SIGTERM. Without PDF, pages of ../shared/corpus/dev/scan
# are joined into one (needs qpdf).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
UPLOADS=${UPLOADS:-20} RATE=${RATE:-200} SECS=${SECS:-60}
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DDOCMILL_TESTS=OFF >/dev/null
cmake --build build/release --target docmill load_check >/dev/null
work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

pdf=${1:-}
if [ -z "$pdf" ]; then
  scan=$here/../shared/corpus/dev/scan
  [ -d "$scan" ] || { echo "load_check: give a PDF (no corpus at $scan)" >&2; exit 2; }
  pdf=$work/scan10.pdf
  qpdf --empty --pages "$scan/R-intro.pdf" 1-8 "$scan/llncs-example.pdf" 1-2 -- "$pdf"
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
build/release/docmill serve --host 127.0.0.1 --port "$port" --data-dir "$work/data" \
  --max-queued-jobs 1000 >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
  sleep 0.5
done
echo "load_check: server pid $server on port $port, $UPLOADS uploads of $(pdfinfo "$pdf" | awk '/^Pages:/{print $2}') pages, $RATE /status per second for $SECS s"
status=0
build/release/bench/load_check --port "$port" --pdf "$pdf" --uploads "$UPLOADS" --rate "$RATE" \
  --seconds "$SECS" --server-pid "$server" || status=$?
kill -TERM "$server"
wait "$server" && echo "server stopped cleanly on SIGTERM" || echo "server exit status $?"
server=""
exit $status
