#!/usr/bin/env bash
# fuzz.sh SECONDS — build the libFuzzer target (fuzz/pdf_page_fuzzer.cpp) with Debian's clang-16
# under ASan+UBSan, replay the regression files in tests/hostile/, then fuzz for SECONDS.
# Exits 1 when a regression file or a new input crashes (a sanitizer report, a signal, an
# abort); each new one is left in build/fuzz/findings/ to be kept as tests/hostile/NAME.pdf.
# Hangs (> 10 s) and inputs over 2 GiB are listed too but fail only with FUZZ_STRICT=1: in the
# service the page time and worker memory limits end those (hostile seeds such as decompression
# bombs and XObject fan-outs hit them on every run), while a crash is a bug in any case.
#
# Seeds: the tests' PDF factory (fuzz/write_fuzz_seeds.cpp), the tests' hostile corpus
# (tests/support/hostile_corpus.h), tests/hostile/*.pdf, and the shared dev
# corpus's small PDFs when ../shared/corpus is there. New inputs that reach new code accumulate
# in build/fuzz/corpus/ from run to run.
#
# FUZZ_JOBS (default: the number of cores) inputs are run at once, in libFuzzer's fork mode, so
# a run goes on after a finding and reports all of them.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:?usage: scripts/fuzz.sh SECONDS}
jobs=${FUZZ_JOBS:-$(nproc)}
dir=build/fuzz
bash scripts/setup.sh --dev

CC=clang-16 CXX=clang++-16 cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DDOCMILL_FUZZ=ON -DDOCMILL_BENCH=OFF -DDOCMILL_TESTS=OFF >/dev/null
started=$(date +%s)
cmake --build "$dir" -j "$(nproc)" --target pdf_page_fuzzer fuzz_write_fuzz_seeds fuzz_write_hostile_corpus
echo "fuzz: build took $(($(date +%s) - started)) s"

fuzzer=$dir/fuzz/pdf_page_fuzzer
seeds=$dir/seeds
corpus=$dir/corpus
findings=$dir/findings
rm -rf "$seeds" "$findings"
mkdir -p "$seeds" "$corpus" "$findings"
"$dir/fuzz/fuzz_write_fuzz_seeds" "$seeds/factory"
"$dir/fuzz/fuzz_write_hostile_corpus" "$seeds/hostile" >/dev/null
if [ -d ../shared/corpus ]; then
  mkdir -p "$seeds/shared"
  find ../shared/corpus -name '*.pdf' -size -200k -exec cp -t "$seeds/shared" {} +
fi

# The sanitizers stop at the first error; leaks are not looked for (MuPDF's error paths leak
# small amounts by design of its exception model, and a worker is a process of its own).
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# Stack traces with function names: llvm-symbolizer when installed, else binutils' addr2line.
symbolizer=$(command -v llvm-symbolizer-16 || command -v llvm-symbolizer || command -v addr2line || true)
if [ -n "$symbolizer" ]; then
  ASAN_OPTIONS+=:external_symbolizer_path=$symbolizer
  UBSAN_OPTIONS+=:external_symbolizer_path=$symbolizer
fi
# The inputs are written to a file per run; tmpfs keeps that off the disk.
[ -d /dev/shm ] && [ -w /dev/shm ] && export TMPDIR=/dev/shm
limits=(-timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048)

failed=0
shopt -s nullglob
regressions=(tests/hostile/*.pdf)
if [ ${#regressions[@]} -gt 0 ]; then
  echo "fuzz: replaying ${#regressions[@]} regression files from tests/hostile/"
  for f in "${regressions[@]}"; do
    if ! "$fuzzer" "${limits[@]}" "$f" >"$findings/replay.log" 2>&1; then
      echo "fuzz: REGRESSION $f still fails:"
      grep -E 'ERROR|SUMMARY|#[0-9]+ 0x' "$findings/replay.log" | head -15 || true
      failed=1
    fi
  done
  rm -f "$findings/replay.log"
fi

echo "fuzz: fuzzing for $seconds s with $jobs jobs"
"$fuzzer" "${limits[@]}" -max_total_time="$seconds" -max_len=200000 -dict=fuzz/pdf.dict \
  -fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
  -artifact_prefix="$findings/" -print_final_stats=1 \
  "$corpus" "$seeds" >"$dir/fuzz.log" 2>&1 || true
tail -n 5 "$dir/fuzz.log"

crashes=("$findings"/crash-* "$findings"/leak-*)
limited=("$findings"/timeout-* "$findings"/oom-*)
for f in "${crashes[@]}" "${limited[@]}"; do
  echo "fuzz: found $f"
  echo "    reproduce: $fuzzer ${limits[*]} $f"
done
if [ ${#crashes[@]} -gt 0 ]; then
  echo "fuzz: ${#crashes[@]} crash(es) (log: $dir/fuzz.log); keep each as" \
    "tests/hostile/<what-it-is>.pdf once understood"
  failed=1
fi
if [ ${#limited[@]} -gt 0 ]; then
  echo "fuzz: ${#limited[@]} input(s) over the time or memory limit (fatal with FUZZ_STRICT=1)"
  [ "${FUZZ_STRICT:-0}" = 1 ] && failed=1
fi
[ "$failed" -eq 0 ] && echo "fuzz: no crash in $seconds s"
exit "$failed"
