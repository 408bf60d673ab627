#!/usr/bin/env bash
# crash_loop.sh — kill `docmill serve` with SIGKILL KILLS (20) times at random moments while
# uploads stream in, restart it each time, let every job finish, then check that nothing was
# lost or done twice:
#   - every accepted job (200 from /process_pdf) ends exactly once: completed, or failed with a
#     reason (its row in DATA/task_status.db, and at most one "job ID completed|failed" line in
#     all the servers' logs);
#   - its output.md is byte-identical to a clean run of the same PDF (one more upload of each PDF
#     after the kills, with no kill), and it fails only where the clean run fails too; the clean
#     serve output is checked against `docmill convert`'s as well;
#   - no page done twice: every page's work unit is 'done', exactly one per page, and
#     processed_pages == total_pages;
#   - no worker outlives its server (workers die with it, by PDEATHSIG).
# Prints kills, jobs accepted/completed/failed, mismatches, pages redone (attempts > 1) and the
# time taken; exits 1 when a check fails, 2 when it cannot run.
#
# Settings (environment): KILLS (20), MIN_GAP / MAX_GAP (0.5 / 4.0 s of a server's life before it
# is killed, uniform, counted from when it answers /health), UPLOAD_GAP (0.4 s between uploads),
# MAX_UPLOADS (40), LEASE (2 s, DOCMILL_LEASE_SECONDS), FINISH_TIMEOUT (240 s), SEED (random),
# BUILD_DIR (build/release: configured and built when needed), KEEP=1 keeps the work directory.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
KILLS=${KILLS:-20} MIN_GAP=${MIN_GAP:-0.5} MAX_GAP=${MAX_GAP:-4.0} UPLOAD_GAP=${UPLOAD_GAP:-0.4}
MAX_UPLOADS=${MAX_UPLOADS:-40} LEASE=${LEASE:-2} FINISH_TIMEOUT=${FINISH_TIMEOUT:-240}
SEED=${SEED:-$RANDOM} BUILD_DIR=${BUILD_DIR:-build/release}
for tool in cmake ninja curl python3; do
  command -v "$tool" >/dev/null || { echo "crash_loop: $tool is missing" >&2; exit 2; }
done

work=$(mktemp -d)
server=""
uploader=""
cleanup() {
  if [ -n "$uploader" ]; then
    kill "$uploader" 2>/dev/null || true
    wait "$uploader" 2>/dev/null || true
  fi
  if [ -n "$server" ]; then
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  if [ "${KEEP:-0}" = 1 ]; then echo "crash_loop: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
started=$(date +%s)

echo "crash_loop: building $BUILD_DIR (docmill, make_crash_loop_pdfs)" >&2
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDOCMILL_TESTS=OFF \
    >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; exit 2; }
fi
cmake --build "$BUILD_DIR" --target docmill make_crash_loop_pdfs >"$work/build.log" 2>&1 ||
  { tail -30 "$work/build.log" >&2; echo "crash_loop: build failed" >&2; exit 2; }
docmill=$BUILD_DIR/docmill

"$BUILD_DIR/bench/make_crash_loop_pdfs" "$work/pdfs"
pdfs=("$work"/pdfs/*.pdf)
data=$work/data
log=$work/server.log
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
RANDOM=$SEED

# Starts a server on the same port and data dir; returns when it answers /health.
start_server() {
  for attempt in 1 2 3; do
    echo "=== server start $(date +%T.%N) ===" >>"$log"
    DOCMILL_LEASE_SECONDS=$LEASE "$docmill" serve --host 127.0.0.1 --port "$port" \
      --data-dir "$data" --max-queued-jobs 1000 >>"$log" 2>&1 &
    server=$!
    for _ in $(seq 1 240); do
      kill -0 "$server" 2>/dev/null || break
      curl -sf "$url/health" >/dev/null 2>&1 && return 0
      sleep 0.25
    done
    # Not up: the port may still be held for a moment after a kill; try again.
    kill -KILL "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=""
    sleep 1
  done
  echo "crash_loop: the server does not start; its log ends:" >&2
  tail -20 "$log" >&2
  exit 2
}

# Streams uploads of the PDFs, in random order, until told to stop or MAX_UPLOADS are accepted.
# Uploads refused or cut off by a kill are not accepted and not checked.
upload_loop() {
  local accepted=0 i=0 pdf code
  while [ ! -e "$work/stop_uploads" ] && [ "$accepted" -lt "$MAX_UPLOADS" ]; do
    pdf=${pdfs[$((RANDOM % ${#pdfs[@]}))]}
    i=$((i + 1))
    code=$(curl -s -o "$work/upload.json" -w '%{http_code}' --max-time 60 \
      -F "file=@$pdf" "$url/process_pdf" 2>/dev/null) || code=000
    if [ "$code" = 200 ]; then
      id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["job_id"])' \
        "$work/upload.json")
      echo "$id $(basename "$pdf" .pdf)" >>"$work/accepted"
      accepted=$((accepted + 1))
    else
      echo "$code" >>"$work/refused"
    fi
    sleep "$UPLOAD_GAP"
  done
}

# Seconds, uniform in [MIN_GAP, MAX_GAP].
random_gap() {
  python3 -c "import random,sys; random.seed(int(sys.argv[1])); \
print(f'{random.uniform(float(sys.argv[2]), float(sys.argv[3])):.2f}')" "$RANDOM" "$MIN_GAP" "$MAX_GAP"
}

touch "$work/accepted" "$work/refused"
start_server
echo "crash_loop: server on $url, lease $LEASE s, seed $SEED; $KILLS kills after" \
  "$MIN_GAP-$MAX_GAP s of life, uploads every $UPLOAD_GAP s of: $(cd "$work/pdfs" && echo *.pdf)"
upload_loop &
uploader=$!

kills=0
orphans=0
while [ "$kills" -lt "$KILLS" ]; do
  sleep "$(random_gap)"
  # The server's children (worker processes, where serve has them) must not outlive it.
  children=$(cat /proc/"$server"/task/*/children 2>/dev/null | tr ' ' '\n' | grep -v '^$' || true)
  kill -KILL "$server"
  wait "$server" 2>/dev/null || true
  kills=$((kills + 1))
  echo "=== SIGKILL $kills $(date +%T.%N) ===" >>"$log"
  sleep 0.5
  for child in $children; do
    # A zombie (dead, waiting for init to reap it) is gone as far as work goes.
    state=$(awk '{ sub(/.*\) /, ""); print $1 }' /proc/"$child"/stat 2>/dev/null || true)
    if [ -n "$state" ] && [ "$state" != Z ]; then
      echo "crash_loop: worker $child outlived its server (kill $kills); killing it" >&2
      orphans=$((orphans + 1))
      kill -KILL "$child" 2>/dev/null || true
    fi
  done
  start_server
done
touch "$work/stop_uploads"
wait "$uploader" || true
uploader=""
accepted=$(wc -l <"$work/accepted")
echo "crash_loop: $kills kills done; $accepted jobs accepted; waiting for them (up to" \
  "$FINISH_TIMEOUT s)"

# How many of the jobs listed in file $1 ("ID NAME" lines) have not ended yet.
jobs_left() {
  python3 - "$data/task_status.db" "$1" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=10)
ids = [line.split()[0] for line in open(sys.argv[2]) if line.strip()]
left = 0
for job_id in ids:
    row = db.execute("SELECT status FROM tasks WHERE job_id = ?", (job_id,)).fetchone()
    if row is not None and row[0] in ("pending", "processing"):
        left += 1
print(left)
EOF
}
wait_for_jobs() {
  local deadline=$(($(date +%s) + FINISH_TIMEOUT))
  while [ "$(jobs_left "$1")" != 0 ]; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "crash_loop: jobs still unfinished after $FINISH_TIMEOUT s" >&2
      return 1
    fi
    kill -0 "$server" 2>/dev/null || { echo "crash_loop: the server died" >&2; return 1; }
    sleep 1
  done
}
finished=1
wait_for_jobs "$work/accepted" || finished=0
kill_phase_end=$(date +%s)

# The clean run: each PDF once more, on the same server, with no kill.
: >"$work/clean"
if [ "$finished" = 1 ]; then
  for pdf in "${pdfs[@]}"; do
    code=$(curl -s -o "$work/upload.json" -w '%{http_code}' --max-time 60 -F "file=@$pdf" \
      "$url/process_pdf") || code=000
    if [ "$code" != 200 ]; then
      echo "crash_loop: the clean upload of $(basename "$pdf") got $code" >&2
      finished=0
      continue
    fi
    id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["job_id"])' \
      "$work/upload.json")
    echo "$id $(basename "$pdf" .pdf)" >>"$work/clean"
  done
  wait_for_jobs "$work/clean" || finished=0
fi
kill -TERM "$server"
wait "$server" || echo "crash_loop: the server's exit status on SIGTERM was $?" >&2
server=""

# And `docmill convert` of each PDF: serve and convert must write the same output.md.
for pdf in "${pdfs[@]}"; do
  name=$(basename "$pdf" .pdf)
  "$docmill" convert "$pdf" -o "$work/convert/$name" >"$work/convert_$name.log" 2>&1 ||
    echo "crash_loop: docmill convert $name exited $?" >&2
done

set +e
python3 - "$data" "$work" "$kills" "$orphans" "$finished" "$started" "$kill_phase_end" <<'EOF'
import collections, os, re, sqlite3, sys, time

data, work, kills, orphans, finished, started, kill_end = sys.argv[1:8]
kills, orphans, finished = int(kills), int(orphans), finished == "1"
db = sqlite3.connect(f"file:{data}/task_status.db?mode=ro", uri=True)
read = lambda p: open(p, "rb").read() if os.path.exists(p) else None
pairs = lambda f: [l.split() for l in open(os.path.join(work, f)) if l.strip()]
accepted, clean = pairs("accepted"), pairs("clean")
problems = []

# Lines in the servers' logs that say a job ended, per job.
log = open(os.path.join(work, "server.log"), errors="replace").read()
endings = collections.Counter(re.findall(r"job ([0-9A-Za-z_-]+) (?:completed|failed)", log))

def output(job_id):
    return read(os.path.join(data, "jobs", job_id, "output.md"))

reference = {}
for job_id, name in clean:
    reference[name] = output(job_id)
    conv = read(os.path.join(work, "convert", name, "output.md"))
    if reference[name] is None:
        problems.append(f"clean run of {name}: no output.md")
    elif conv != reference[name]:
        problems.append(f"{name}: serve's output.md differs from docmill convert's")

completed = failed = mismatches = redone = pages = 0
for job_id, name in accepted:
    row = db.execute("SELECT status, error_message, total_pages, processed_pages FROM tasks "
                     "WHERE job_id = ?", (job_id,)).fetchone()
    if row is None:
        problems.append(f"job {job_id} ({name}): accepted but lost (no row)")
        continue
    status, error, total, processed = row
    if status == "completed":
        completed += 1
    elif status == "failed":
        failed += 1
        if not error:
            problems.append(f"job {job_id} ({name}): failed without a reason")
        elif name in reference and reference[name] is not None:
            # The clean run read it: the kills alone made this job fail.
            mismatches += 1
            problems.append(f"job {job_id} ({name}): failed ({error}); its clean run completed")
    else:
        problems.append(f"job {job_id} ({name}): never ended ({status})")
        continue
    if endings[job_id] > 1:
        problems.append(f"job {job_id} ({name}): ended {endings[job_id]} times in the logs")
    units = db.execute("SELECT page_index, state, attempts FROM work_units WHERE job_id = ? "
                       "AND page_index >= 0 ORDER BY page_index", (job_id,)).fetchall()
    pages += len(units)
    if [u[0] for u in units] != list(range(total)) or any(u[1] != "done" for u in units):
        problems.append(f"job {job_id} ({name}): page units {units}, {total} pages")
    if processed != total:
        problems.append(f"job {job_id} ({name}): processed_pages {processed} of {total}")
    redone += sum(1 for u in units if u[2] > 1)
    if status == "completed" and name in reference and output(job_id) != reference[name]:
        mismatches += 1
        problems.append(f"job {job_id} ({name}): output.md differs from the clean run's"
                        + (f" ({error})" if error else ""))

known = {j for j, _ in accepted} | {j for j, _ in clean}
unacked = [r[0] for r in db.execute("SELECT job_id FROM tasks") if r[0] not in known]
refused = sum(1 for l in open(os.path.join(work, "refused")) if l.strip())
if not finished:
    problems.append("not every job finished (see above)")
if orphans:
    problems.append(f"{orphans} worker processes outlived their server")

print(f"kills                {kills}")
print(f"uploads refused/cut  {refused} (connection refused or cut off by a kill)")
print(f"jobs accepted        {len(accepted)} ({pages} pages)")
print(f"jobs completed       {completed}")
print(f"jobs failed          {failed}")
print(f"jobs not acked       {len(unacked)} (stored, but the 200 was lost to a kill)")
print(f"output mismatches    {mismatches} (output.md or outcome unlike the clean run's)")
print(f"pages redone         {redone} (attempts > 1: lease take-overs; claims of a killed server are reopened uncounted at restart)")
print(f"orphaned workers     {orphans}")
print(f"kill phase + finish  {int(kill_end) - int(started)} s")
print(f"total time           {int(time.time()) - int(started)} s")
for p in problems:
    print("FAIL:", p)
sys.exit(1 if problems else 0)
EOF
status=$?
exit $status
