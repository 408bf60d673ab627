#!/usr/bin/env bash
# page_tests.sh [SUITE...] — convert every PDF of the page-check suites (../shared/corpus/dev and
# ../shared/corpus/tables by default; a SUITE is a folder with tests.jsonl, born/ and scan/) with
# `docmill convert` in its manifest language, split each output.md into one file per page on its
# "<--- Page Split --->" lines, and score them with ../shared/eval/page_tests.py: the pass rate per
# kind of check (present, absent, order, table, baseline), for born/ and scan/ apart.
# OUT=dir keeps the outputs (default: a temporary folder); VERBOSE=1 lists the failed checks.
# Needs a built build/release/docmill (or DOCMILL=path) and scripts/setup.sh --dev.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
DOCMILL=${DOCMILL:-$here/build/release/docmill}
[ -x "$DOCMILL" ] || { echo "page_tests: $DOCMILL is not built" >&2; exit 2; }
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=("$here/../shared/corpus/dev" "$here/../shared/corpus/tables")

out=${OUT:-}
if [ -z "$out" ]; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi

for suite in "${suites[@]}"; do
  [ -f "$suite/tests.jsonl" ] || { echo "page_tests: no tests.jsonl in $suite" >&2; exit 2; }
  name=$(basename "$suite")
  for kind in born scan; do
    [ -d "$suite/$kind" ] || continue
    pred="$out/$name/pred/$kind"
    mkdir -p "$pred"
    for pdf in "$suite/$kind"/*.pdf; do
      doc=$(basename "$pdf" .pdf)
      lang=$(awk -F'\t' -v n="$doc" '$1 == n { print $5 }' "$suite/manifest.tsv")
      rc=0
      "$DOCMILL" convert "$pdf" -o "$out/$name/$kind/$doc" --lang "${lang:-eng}" >/dev/null || rc=$?
      # 3: done with some failed pages (scored as they are); anything else is a broken run.
      [ "$rc" = 0 ] || [ "$rc" = 3 ] || { echo "page_tests: convert $pdf failed ($rc)" >&2; exit 1; }
      awk -v base="$pred/${doc}_pg" '
        BEGIN { page = 1; file = base page "_repeat1.md"; printf "" > file }
        /^<--- Page Split --->$/ { close(file); page++; file = base page "_repeat1.md"; printf "" > file; next }
        { print > file }' "$out/$name/$kind/$doc/output.md"
    done
  done
  # Score born/ and scan/ apart: a tests file per kind, beside links to the PDFs.
  for kind in born scan; do
    [ -d "$out/$name/pred/$kind" ] || continue
    bench="$out/$name/bench-$kind"
    mkdir -p "$bench"
    ln -sfn "$suite/$kind" "$bench/$kind"
    grep "\"pdf\": \"$kind/" "$suite/tests.jsonl" > "$bench/tests.jsonl" || true
    echo "== $name/$kind"
    /usr/bin/python3 "$here/../shared/eval/page_tests.py" "$bench" "$out/$name/pred" \
      ${VERBOSE:+-v}
  done
done
