#!/usr/bin/env bash
# load_check.sh [PDF] — start one docmill server on a free loopback port with a fresh data dir,
# send UPLOADS (20) concurrent uploads of a 10-page scanned PDF, open STREAMS event streams
# (GET /result/{id}/events; default 64, the server's default DOCMILL_MAX_EVENT_STREAMS) and hold
# them while RATE (200) /status requests per second go for SECONDS_ (60) seconds, print errors,
# /status p50/p99, the streams open at once, jobs completed and the server's peak RSS, then stop
# the server with SIGTERM and wait for it. Without PDF, pages of ../shared/corpus/dev/scan are
# joined into one (needs qpdf). BUILD_DIR (build/release, configured and built here) may name an
# existing build directory instead, e.g. build/dev; its docmill and bench/load_check are built
# and used. Exit status: load_check's (1 when any request failed), 2 when the server did not
# start.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
UPLOADS=${UPLOADS:-20} RATE=${RATE:-200} SECONDS_=${SECONDS_:-${SECS:-60}} STREAMS=${STREAMS:-64}
BUILD_DIR=${BUILD_DIR:-build/release}
for tool in cmake ninja curl python3 pdfinfo; do
  command -v "$tool" >/dev/null || { echo "load_check: $tool is missing" >&2; exit 2; }
done

work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "load_check: building $BUILD_DIR (docmill, load_check)" >&2
configure=(true)
if [ "$BUILD_DIR" = build/release ]; then
  configure=(cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DDOCMILL_TESTS=OFF)
fi
if ! { "${configure[@]}" && cmake --build "$BUILD_DIR" --target docmill load_check; } \
  >"$work/build.log" 2>&1; then
  tail -30 "$work/build.log" >&2
  echo "load_check: build failed" >&2
  exit 2
fi

pdf=${1:-}
if [ -z "$pdf" ]; then
  scan=$here/../shared/corpus/dev/scan
  [ -d "$scan" ] || { echo "load_check: give a PDF (no corpus at $scan)" >&2; exit 2; }
  command -v qpdf >/dev/null || { echo "load_check: qpdf is missing" >&2; exit 2; }
  pdf=$work/scan10.pdf
  qpdf --empty --pages "$scan/R-intro.pdf" 1-8 "$scan/llncs-example.pdf" 1-2 -- "$pdf"
fi
[ -f "$pdf" ] || { echo "load_check: no such PDF: $pdf" >&2; exit 2; }
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The queue limit is raised only so that it can never be the cause of an error here.
"$BUILD_DIR"/docmill serve --host 127.0.0.1 --port "$port" --data-dir "$work/data" \
  --max-queued-jobs 1000 >"$work/server.log" 2>&1 &
server=$!
up=0
for _ in $(seq 1 240); do  # the workers load their models first: up to 120 s
  kill -0 "$server" 2>/dev/null || break
  if curl -sf "http://127.0.0.1:$port/health" >/dev/null; then up=1; break; fi
  sleep 0.5
done
if [ "$up" != 1 ]; then
  echo "load_check: the server did not answer /health; its log ends:" >&2
  tail -20 "$work/server.log" >&2
  exit 2
fi

echo "load_check: server pid $server on 127.0.0.1:$port; $UPLOADS uploads of $pages pages," \
  "$RATE /status per second for $SECONDS_ s with $STREAMS event streams open," \
  "$(getconf _NPROCESSORS_ONLN) cores"
status=0
"$BUILD_DIR"/bench/load_check --host 127.0.0.1 --port "$port" --pdf "$pdf" \
  --uploads "$UPLOADS" --rate "$RATE" --seconds "$SECONDS_" --streams "$STREAMS" \
  --server-pid "$server" \
  ${AUTH_TOKEN:+--token "$AUTH_TOKEN"} || status=$?

t0=$(date +%s)
kill -TERM "$server"
if wait "$server"; then
  echo "server stopped on SIGTERM in $(($(date +%s) - t0)) s, exit status 0"
else
  rc=$?
  echo "server exit status $rc after SIGTERM; its log ends:"
  tail -10 "$work/server.log"
  [ "$status" != 0 ] || status=1
fi
server=""
exit $status
