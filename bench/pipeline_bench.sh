#!/usr/bin/env bash
# pipeline_bench.sh [CORPUSDIR] — docmill convert against the tools people use instead, in one
# run, on the same pages and the same 2 cores:
#   scan/: bare `tesseract` on pages drawn by `mutool` (JOBS at a time, OMP_THREAD_LIMIT=1),
#          `ocrmypdf --force-ocr --output-type pdf --sidecar --jobs JOBS`, and `docmill convert`
#          (all four outputs written);
#   born/: `pdftotext` (one process per file), `docmill convert` one process per file, and one
#          `docmill convert born/*.pdf -o OUT` process for all of them (docmill-batch; --lang is
#          the union of the files' languages), and that process writing output.md and its
#          figures alone (docmill-batch-md, `--format md`: text, as pdftotext gives).
#          Each born run is timed ROUNDS times (3) and the fastest kept: they take well under a
#          second, where one stray scheduling delay would move the ratio.
# Prints pages/s and peak RSS of each, and docmill's ratio to each. Needs a built
# build/release/docmill (or DOCMILL=path), mupdf-tools, tesseract-ocr, ocrmypdf, poppler-utils,
# time. ONLY=born measures the born-digital set alone (seconds, not the scans' minutes).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${1:-$here/../shared/corpus/dev}
DOCMILL=${DOCMILL:-$here/build/release/docmill}
JOBS=${JOBS:-2}
ONLY=${ONLY:-all}
ROUNDS=${ROUNDS:-3}
case $ONLY in all | born) ;; *) echo "bench: ONLY is all or born" >&2; exit 2 ;; esac
export OMP_THREAD_LIMIT=1 JOBS
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tools=(pdftotext pdfinfo /usr/bin/time "$DOCMILL")
[ "$ONLY" = born ] || tools+=(mutool tesseract ocrmypdf)
for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (scripts/setup.sh --dev)" >&2; exit 2; }
done

lang_of() { awk -F'\t' -v n="$1" '$1 == n { print $5 }' "$CORPUS/manifest.tsv"; }
pages_of() { pdfinfo "$1" | awk '/^Pages:/ { print $2 }'; }

# measure NAME PAGES CMD...: wall seconds and peak RSS (largest single process, MB).
declare -A WALL RSS PAGES
measure() {
  local name=$1 pages=$2
  shift 2
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/$name.err" || {
    echo "bench: $name failed, see below" >&2
    tail -5 "$work/$name.err" >&2
    exit 1
  }
  read -r wall rss_kb <"$work/time"
  WALL[$name]=$wall
  RSS[$name]=$((rss_kb / 1024))
  PAGES[$name]=$pages
}

# measure_best NAME PAGES CMD...: measure ROUNDS times, keeping the fastest wall time and the
# largest peak RSS.
measure_best() {
  local name=$1 best_wall="" best_rss=0
  for _ in $(seq 1 "$ROUNDS"); do
    measure "$@"
    if [ -z "$best_wall" ] || awk -v a="${WALL[$name]}" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then
      best_wall=${WALL[$name]}
    fi
    [ "${RSS[$name]}" -gt "$best_rss" ] && best_rss=${RSS[$name]}
  done
  WALL[$name]=$best_wall
  RSS[$name]=$best_rss
}

ocr_page() {  # PDF PAGE LANG: one page through mutool and the tesseract CLI, as baselines.sh does
  mutool draw -q -r 300 -c gray -F png -o - "$1" "$2" 2>/dev/null | tesseract - stdout -l "$3" --psm 3 2>/dev/null >/dev/null
}
export -f ocr_page

scan_pages=0
: >"$work/jobs"
for pdf in "$CORPUS"/scan/*.pdf; do
  name=$(basename "$pdf" .pdf)
  n=$(pages_of "$pdf")
  scan_pages=$((scan_pages + n))
  for p in $(seq 1 "$n"); do echo "$pdf $p $(lang_of "$name")" >>"$work/jobs"; done
done

run_tesseract() { xargs -P "$JOBS" -L 1 bash -c 'ocr_page "$@"' _ <"$1"; }
run_ocrmypdf() {
  for pdf in "$1"/scan/*.pdf; do
    local name; name=$(basename "$pdf" .pdf)
    ocrmypdf -q --force-ocr --output-type pdf --jobs "$JOBS" -l "$(lang_of "$name")" \
      --sidecar "$2/$name.txt" "$pdf" "$2/$name.pdf"
  done
}
run_docmill() {  # KIND OUTROOT
  for pdf in "$CORPUS/$1"/*.pdf; do
    local name; name=$(basename "$pdf" .pdf)
    "$DOCMILL" convert "$pdf" -o "$2/$name" --lang "$(lang_of "$name")" --threads "$JOBS"
  done
}
run_docmill_batch() {  # OUTROOT [convert flags]: every born/ PDF in one process, one OUT/<name>/ each
  local langs out=$1
  shift
  langs=$(for pdf in "$CORPUS"/born/*.pdf; do lang_of "$(basename "$pdf" .pdf)"; done | tr '+' '\n' | sort -u | paste -sd+)
  "$DOCMILL" convert "$CORPUS"/born/*.pdf -o "$out" --lang "$langs" --threads "$JOBS" "$@"
}
run_pdftotext() { for pdf in "$1"/born/*.pdf; do pdftotext -enc UTF-8 "$pdf" "$2/$(basename "$pdf" .pdf).txt"; done; }
export -f run_tesseract run_ocrmypdf run_docmill run_docmill_batch run_pdftotext lang_of
export CORPUS DOCMILL

mkdir -p "$work/ocrmypdf" "$work/docmill-scan" "$work/pdftotext" "$work/docmill-born" "$work/docmill-batch" "$work/docmill-batch-md"
born_pages=0
for pdf in "$CORPUS"/born/*.pdf; do born_pages=$((born_pages + $(pages_of "$pdf"))); done

echo "bench: $scan_pages scanned pages, $born_pages born-digital pages, $JOBS jobs, $(getconf _NPROCESSORS_ONLN) cores" >&2
if [ "$ONLY" = all ]; then
  measure tesseract "$scan_pages" bash -c 'run_tesseract "$0"' "$work/jobs"
  measure ocrmypdf "$scan_pages" bash -c 'run_ocrmypdf "$0" "$1"' "$CORPUS" "$work/ocrmypdf"
  measure docmill-scan "$scan_pages" bash -c 'run_docmill scan "$0"' "$work/docmill-scan"
fi
measure_best pdftotext "$born_pages" bash -c 'run_pdftotext "$0" "$1"' "$CORPUS" "$work/pdftotext"
measure_best docmill-born "$born_pages" bash -c 'run_docmill born "$0"' "$work/docmill-born"
measure_best docmill-batch "$born_pages" bash -c 'run_docmill_batch "$0"' "$work/docmill-batch"
measure_best docmill-batch-md "$born_pages" bash -c 'run_docmill_batch "$0" --format md' "$work/docmill-batch-md"

rate() { awk -v p="${PAGES[$1]}" -v w="${WALL[$1]}" 'BEGIN { printf "%.2f", (w > 0 ? p / w : 0) }'; }
ratio() { awk -v a="$(rate "$1")" -v b="$(rate "$2")" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }'; }
printf '\n%-17s %6s %8s %8s %9s  %s\n' tool pages wall_s pages/s peakRSS_MB "docmill speed ratio"
shown=(pdftotext docmill-born docmill-batch docmill-batch-md)
[ "$ONLY" = born ] || shown=(tesseract ocrmypdf docmill-scan "${shown[@]}")
for t in "${shown[@]}"; do
  case $t in
    tesseract | ocrmypdf) r="docmill-scan / $t = $(ratio docmill-scan "$t")" ;;
    pdftotext) r="docmill-born / $t = $(ratio docmill-born "$t"), docmill-batch / $t = $(ratio docmill-batch "$t"), docmill-batch-md / $t = $(ratio docmill-batch-md "$t")" ;;
    docmill-batch) r="docmill-batch / docmill-born = $(ratio docmill-batch docmill-born)" ;;
    *) r="" ;;
  esac
  printf '%-17s %6d %8.1f %8s %9d  %s\n' "$t" "${PAGES[$t]}" "${WALL[$t]}" "$(rate "$t")" "${RSS[$t]}" "$r"
done
# Every docmill run must have written all four outputs.
for d in "$work"/docmill-scan/* "$work"/docmill-born/* "$work"/docmill-batch/*; do
  [ -d "$d" ] || continue
  for f in output.md output_det.md layout.pdf pages.json; do
    [ -s "$d/$f" ] || { echo "bench: $d/$f is missing" >&2; exit 1; }
  done
done
echo "all docmill outputs written (output.md, output_det.md, layout.pdf, pages.json, images/)"
