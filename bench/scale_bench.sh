#!/usr/bin/env bash
# scale_bench.sh — is the PostgreSQL store a bottleneck? On this machine, one PostgreSQL:
#   1. scanned-page throughput with 1, 2 and 3 worker processes: `docmill serve` on SQLite
#      (DOCMILL_WORKERS=N) against one `docmill serve --no-workers` and N `docmill worker`
#      processes (one worker process each) on PostgreSQL, sharing a data directory. Pages a
#      second from upload to completed for one SCAN_PAGES-page scan (12), side by side, with
#      PostgreSQL's figure as a share of SQLite's (target: >= 0.95 at each count). A third
#      column keeps the jobs' files in an object store instead (tests/tools/fake_s3_server on
#      this machine, every request signed and checked), each node with a data directory of its
#      own: what the blob store costs.
#   2. queue_bench: UNITS (10,000) tiny synthetic units claimed and completed by 8 workers on
#      each store: the queue's own cost a unit; and claim_bench: one claim's time with 100,000
#      units queued, on each store.
# The scan: pages of ../shared/corpus/dev/scan joined with qpdf; without the corpus,
# make_crash_loop_pdfs' scanned report, repeated. Runs itself under pg_virtualenv (a
# throw-away cluster) unless PGHOST names a server already. Settings (environment): SCAN_PAGES,
# UNITS, BUILD_DIR (build/release), TIMEOUT (600 s a run), KEEP=1 keeps the work directory.
# Exit status: 0 when every run finished (targets missed are reported, not failed), 1 when a
# job failed or did not finish, 2 when it cannot run.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
if [ -z "${PGHOST:-}" ]; then
  command -v pg_virtualenv >/dev/null || { echo "scale_bench: no PostgreSQL (pg_virtualenv)" >&2; exit 2; }
  exec pg_virtualenv -v 15 "$0" "$@"
fi
SCAN_PAGES=${SCAN_PAGES:-12} UNITS=${UNITS:-10000} BUILD_DIR=${BUILD_DIR:-build/release}
TIMEOUT=${TIMEOUT:-600}
python=/usr/bin/python3
for tool in cmake ninja curl qpdf psql $python; do
  command -v "$tool" >/dev/null || { echo "scale_bench: $tool is missing" >&2; exit 2; }
done

work=$(mktemp -d)
pids=()
stop_all() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
cleanup() {
  stop_all
  if [ "${KEEP:-0}" = 1 ]; then echo "scale_bench: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

echo "scale_bench: building $BUILD_DIR (docmill, queue_bench, claim_bench, make_crash_loop_pdfs," \
  "fake_s3_server)" >&2
# Tests on only to have fake_s3_server's target; only the targets below are built.
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDOCMILL_TESTS=ON \
  -DDOCMILL_BENCH=ON >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; exit 2; }
cmake --build "$BUILD_DIR" --target docmill queue_bench claim_bench make_crash_loop_pdfs \
  fake_s3_server >"$work/build.log" 2>&1 ||
  { tail -30 "$work/build.log" >&2; echo "scale_bench: build failed" >&2; exit 2; }
docmill=$BUILD_DIR/docmill

scan=$here/../shared/corpus/dev/scan
if [ -d "$scan" ]; then
  source_note="pages of $scan"
  qpdf --empty --pages "$scan/R-intro.pdf" 1-8 "$scan/libtasn1.pdf" 1-8 -- "$work/all.pdf"
else
  source_note="make_crash_loop_pdfs' scanned report (no corpus at $scan)"
  "$BUILD_DIR/bench/make_crash_loop_pdfs" "$work/gen" >/dev/null
  sources=()
  for ((i = 0; i < (SCAN_PAGES + 1) / 2; i++)); do sources+=("$work/gen/scan_report2.pdf"); done
  qpdf --empty --pages "${sources[@]}" -- "$work/all.pdf"
fi
qpdf --empty --pages "$work/all.pdf" "1-$SCAN_PAGES" -- "$work/scan.pdf"

free_port() {
  $python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_health() {  # url log
  for _ in $(seq 1 240); do
    if curl -sf "$1/health" >/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "scale_bench: no /health from $1; its log ends:" >&2
  tail -20 "$2" >&2
  return 1
}

# Uploads the scan to $1 and prints pages a second, upload to completed.
measure() {
  $python - "$1" "$work/scan.pdf" "$SCAN_PAGES" "$TIMEOUT" <<'EOF'
import json, subprocess, sys, time, urllib.request
url, pdf, pages, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
t0 = time.monotonic()
out = subprocess.run(["curl", "-s", "-S", "--max-time", "120", "-F", f"file=@{pdf}",
                      "-F", "force_ocr=true", f"{url}/process_pdf"], capture_output=True, text=True)
job = json.loads(out.stdout)["job_id"]
while True:
    with urllib.request.urlopen(f"{url}/result/{job}/status", timeout=30) as r:
        s = json.load(r)
    if s["status"] in ("completed", "failed"):
        break
    if time.monotonic() - t0 > timeout:
        sys.exit(f"scale_bench: job {job} unfinished after {timeout:.0f} s")
    time.sleep(0.1)
if s["status"] != "completed":
    sys.exit(f"scale_bench: job {job} failed: {s}")
print(f"{pages / (time.monotonic() - t0):.3f}")
EOF
}

# SQLite: one `docmill serve` with N workers.
run_sqlite() {
  local n=$1 port log
  port=$(free_port)
  log=$work/sqlite$n.log
  DOCMILL_WORKERS=$n "$docmill" serve --host 127.0.0.1 --port "$port" \
    --data-dir "$work/sqlite$n" >"$log" 2>&1 &
  pids+=($!)
  wait_health "http://127.0.0.1:$port" "$log" || { stop_all; return 1; }
  measure "http://127.0.0.1:$port"
  stop_all
}

# PostgreSQL: one API node and N `docmill worker` processes of one worker each, sharing a data
# directory; with "s3", every node's files in a fake S3 bucket and a data directory of its own.
run_postgres() {
  local n=$1 s3=${2:-} port log tag=pg$1${2:-} s3port=""
  if [ -n "$s3" ]; then
    "$BUILD_DIR/tests/fake_s3_server" --no-stdin >"$work/$tag-s3.out" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 100); do
      s3port=$(awk '/^port /{print $2}' "$work/$tag-s3.out")
      [ -n "$s3port" ] && break
      sleep 0.1
    done
    [ -n "$s3port" ] || { echo "scale_bench: fake_s3_server did not start" >&2; stop_all; return 1; }
    export DOCMILL_S3_ENDPOINT=http://127.0.0.1:$s3port DOCMILL_S3_ACCESS_KEY_ID=AKIDDOCMILLTEST \
      DOCMILL_S3_SECRET_ACCESS_KEY=docmill-test-secret
  fi
  # The data directory of node $1: shared without an object store, its own with one.
  node_dir() { if [ -n "$s3" ]; then echo "$work/$tag-$1"; else echo "$work/$tag"; fi; }
  psql -qc "CREATE DATABASE $tag" postgres
  export DOCMILL_DATABASE_URL=postgresql:///$tag
  port=$(free_port)
  log=$work/$tag-api.log
  "$docmill" serve --no-workers --host 127.0.0.1 --port "$port" --data-dir "$(node_dir api)" \
    >"$log" 2>&1 &
  pids+=($!)
  wait_health "http://127.0.0.1:$port" "$log" || { stop_all; return 1; }
  for ((i = 0; i < n; i++)); do
    DOCMILL_WORKERS=1 "$docmill" worker --data-dir "$(node_dir "worker$i")" \
      >"$work/$tag-worker$i.log" 2>&1 &
    pids+=($!)
  done
  sleep 3  # the workers load Tesseract's models
  measure "http://127.0.0.1:$port"
  stop_all
  unset DOCMILL_DATABASE_URL DOCMILL_S3_ENDPOINT DOCMILL_S3_ACCESS_KEY_ID DOCMILL_S3_SECRET_ACCESS_KEY
}

echo "scale_bench: $(nproc) cores; a $SCAN_PAGES-page scan ($source_note), OCR forced"
printf '\n%-8s %14s %16s %6s %14s %6s  target: >= 0.95 x sqlite\n' workers sqlite_pages/s \
  postgres_pages/s ratio pg+s3_pages/s ratio
status=0
for n in 1 2 3; do
  s=$(run_sqlite "$n") || { status=1; break; }
  p=$(run_postgres "$n") || { status=1; break; }
  o=$(run_postgres "$n" s3) || { status=1; break; }
  r=$($python -c "print(f'{$p / $s:.2f}')")
  ro=$($python -c "print(f'{$o / $s:.2f}')")
  verdict=$($python -c "print('ok' if min($p, $o) / $s >= 0.95 else 'MISSED')")
  printf '%-8s %14s %16s %6s %14s %6s  %s\n' "$n" "$s" "$p" "$r" "$o" "$ro" "$verdict"
done

echo
echo "queue_bench: $UNITS units, 8 workers"
rm -f "$work/queue.db"
printf 'sqlite:     '
"$BUILD_DIR/bench/queue_bench" --store "sqlite:$work/queue.db" --units "$UNITS" --workers 8 ||
  status=1
psql -qc "CREATE DATABASE queue" postgres
printf 'postgresql: '
"$BUILD_DIR/bench/queue_bench" --store postgresql:///queue --units "$UNITS" --workers 8 ||
  status=1

echo
echo "claim_bench: one claim with 100,000 units queued (1,000 jobs of 100 pages)"
echo "sqlite:"
"$BUILD_DIR/bench/claim_bench" --claims 500 || status=1
psql -qc "CREATE DATABASE claims" postgres
echo "postgresql:"
"$BUILD_DIR/bench/claim_bench" --claims 500 --store postgresql:///claims || status=1
exit $status
