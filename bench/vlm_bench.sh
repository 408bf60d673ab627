#!/usr/bin/env bash
# vlm_bench.sh — throughput of the VLM engine against the fake model server: PAGES (200)
# scanned pages through `docmill convert --engine vlm`, the server answering each page in
# LATENCY_MS (1500) ± JITTER_MS (300), at each concurrency in CONCURRENCIES ("8 32 64").
# Prints, per concurrency: pages/s against the ideal (concurrency / latency) as a ratio,
# docmill's CPU seconds, and its peak RSS. Needs qpdf and GNU time (scripts/setup.sh --dev).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
PAGES=${PAGES:-200} LATENCY_MS=${LATENCY_MS:-1500} JITTER_MS=${JITTER_MS:-300}
CONCURRENCIES=${CONCURRENCIES:-"8 32 64"}
BUILD_DIR=${BUILD_DIR:-build/bench}
for tool in cmake ninja qpdf /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "vlm_bench: $tool is missing" >&2; exit 2; }
done

work=$(mktemp -d)
fake=""
cleanup() {
  if [ -n "$fake" ]; then
    kill -TERM "$fake" 2>/dev/null || true
    wait "$fake" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "vlm_bench: building $BUILD_DIR (docmill, fake_vlm_server, make_crash_loop_pdfs)" >&2
# An existing build directory (BUILD_DIR=build/test) is used as it is configured; it needs
# DOCMILL_TESTS and DOCMILL_BENCH on.
configure=true
[ -f "$BUILD_DIR/CMakeCache.txt" ] && configure=false
if ! { { ! $configure || cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DDOCMILL_TESTS=ON -DDOCMILL_BENCH=ON; } &&
  cmake --build "$BUILD_DIR" --target docmill fake_vlm_server make_crash_loop_pdfs; } \
  >"$work/build.log" 2>&1; then
  tail -30 "$work/build.log" >&2
  echo "vlm_bench: build failed" >&2
  exit 2
fi

# PAGES scanned pages (a 200 dpi scan of a two-page report, repeated).
"$BUILD_DIR/bench/make_crash_loop_pdfs" "$work"
sources=()
for ((i = 0; i < (PAGES + 1) / 2; i++)); do sources+=("$work/scan_report2.pdf"); done
qpdf --empty --pages "${sources[@]}" -- "$work/all.pdf"
qpdf --empty --pages "$work/all.pdf" "1-$PAGES" -- "$work/in.pdf"

"$BUILD_DIR/tests/fake_vlm_server" --port 0 --latency-ms "$LATENCY_MS" --jitter-ms "$JITTER_MS" \
  >"$work/fake.out" 2>"$work/fake.log" < <(sleep infinity) &
fake=$!
port=""
for _ in $(seq 100); do
  port=$(awk '/^port / { print $2 }' "$work/fake.out")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/fake.log" >&2; echo "vlm_bench: the fake server did not start" >&2; exit 2; }

latency_s=$(awk -v ms="$LATENCY_MS" 'BEGIN { printf "%.3f", ms / 1000 }')
printf '%s pages, fake model %s ms ± %s ms a page, %s cores\n' "$PAGES" "$LATENCY_MS" "$JITTER_MS" \
  "$(nproc)"
# ideal: concurrency / latency, pages/s when every request slot is always busy. A finite run
# cannot reach it at high concurrency: its last wave is partly empty (200 pages at 64 in
# flight is 4 waves of 1.5 s, 33 pages/s at best), so `bound` is that best and `of_bound` the
# share of it reached.
printf '%-12s %9s %9s %7s %9s %9s %10s %10s %9s\n' concurrency pages/s ideal ratio bound \
  of_bound cpu_s cpu_s/page rss_MiB
for c in $CONCURRENCIES; do
  rm -rf "$work/out"
  /usr/bin/time -f '%e %U %S %M' -o "$work/time.txt" \
    "$BUILD_DIR/docmill" convert "$work/in.pdf" -o "$work/out" --engine vlm \
    --vlm-url "http://127.0.0.1:$port/v1" --vlm-concurrency "$c" 2>"$work/convert.log" || {
    tail -5 "$work/convert.log" >&2
    echo "vlm_bench: convert failed at concurrency $c" >&2
    exit 1
  }
  read -r wall user sys rss_kb <"$work/time.txt"
  awk -v c="$c" -v pages="$PAGES" -v wall="$wall" -v user="$user" -v sys="$sys" \
    -v rss="$rss_kb" -v lat="$latency_s" 'BEGIN {
      rate = pages / wall; ideal = c / lat
      waves = int((pages + c - 1) / c); bound = pages / (waves * lat)
      printf "%-12d %9.2f %9.2f %7.2f %9.2f %9.2f %10.1f %10.3f %9.0f\n", c, rate, ideal,
        rate / ideal, bound, rate / bound, user + sys, (user + sys) / pages, rss / 1024 }'
done
