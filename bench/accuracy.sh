#!/usr/bin/env bash
# accuracy.sh [KIND...] — convert every PDF of ../shared/corpus/dev/KIND (scan, born; both by
# default) with `docmill convert` in its manifest language, and score output.md with
# ../shared/eval/score_text.py against dev/gt: CER, WER, bag-of-words F1 and heading recall,
# per document and in total. OUT=dir keeps the outputs (default: a temporary folder).
# Needs a built build/release/docmill (or DOCMILL=path) and scripts/setup.sh --dev.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${CORPUS:-$here/../shared/corpus/dev}
DOCMILL=${DOCMILL:-$here/build/release/docmill}
[ -d "$CORPUS" ] || { echo "accuracy: no corpus at $CORPUS" >&2; exit 2; }
[ -x "$DOCMILL" ] || { echo "accuracy: $DOCMILL is not built" >&2; exit 2; }
kinds=("$@")
[ ${#kinds[@]} -gt 0 ] || kinds=(scan born)

out=${OUT:-}
if [ -z "$out" ]; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi

lang_of() { awk -F'\t' -v n="$1" '$1 == n { print $5 }' "$CORPUS/manifest.tsv"; }

for kind in "${kinds[@]}"; do
  mkdir -p "$out/$kind/md"
  for pdf in "$CORPUS/$kind"/*.pdf; do
    name=$(basename "$pdf" .pdf)
    rc=0
    "$DOCMILL" convert "$pdf" -o "$out/$kind/$name" --lang "$(lang_of "$name")" >/dev/null || rc=$?
    # 3: done with some failed pages (scored as they are); anything else is a broken run.
    [ "$rc" = 0 ] || [ "$rc" = 3 ] || { echo "accuracy: convert $pdf failed ($rc)" >&2; exit 1; }
    cp "$out/$kind/$name/output.md" "$out/$kind/md/$name.md"
  done
  echo "== $kind"
  /usr/bin/python3 "$here/../shared/eval/score_text.py" "$CORPUS/gt" "$out/$kind/md"
done
