#!/usr/bin/env bash
# structure.sh [KIND...] — convert every PDF of ../shared/corpus/dev/KIND (born, scan; both by
# default) with `docmill convert` in its manifest language and count the structural defects of
# output.md with ../shared/eval/structure_check.py: list items cut in two, paragraphs cut in two,
# bare section / line / page numbers, numbered headings out of order. Then heading precision and
# recall against the PDF outline titles (dev/gt/NAME.headings.json), matched the way
# score_text.py matches them; precision is the share of markdown headings that are outline titles.
# OUT=dir keeps the outputs (default: a temporary folder); VERBOSE=1 prints each defect.
# Needs a built build/release/docmill (or DOCMILL=path) and scripts/setup.sh --dev.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${CORPUS:-$here/../shared/corpus/dev}
EVAL=$here/../shared/eval
DOCMILL=${DOCMILL:-$here/build/release/docmill}
[ -d "$CORPUS" ] || { echo "structure: no corpus at $CORPUS" >&2; exit 2; }
[ -x "$DOCMILL" ] || { echo "structure: $DOCMILL is not built" >&2; exit 2; }
kinds=("$@")
[ ${#kinds[@]} -gt 0 ] || kinds=(born scan)

out=${OUT:-}
if [ -z "$out" ]; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi

for kind in "${kinds[@]}"; do
  mkdir -p "$out/$kind/md"
  for pdf in "$CORPUS/$kind"/*.pdf; do
    name=$(basename "$pdf" .pdf)
    lang=$(awk -F'\t' -v n="$name" '$1 == n { print $5 }' "$CORPUS/manifest.tsv")
    rc=0
    "$DOCMILL" convert "$pdf" -o "$out/$kind/$name" --lang "${lang:-eng}" >/dev/null || rc=$?
    [ "$rc" = 0 ] || [ "$rc" = 3 ] || { echo "structure: convert $pdf failed ($rc)" >&2; exit 1; }
    cp "$out/$kind/$name/output.md" "$out/$kind/md/$name.md"
  done
  echo "== $kind"
  /usr/bin/python3 "$EVAL/structure_check.py" "$out/$kind/md" ${VERBOSE:+-v}
  /usr/bin/python3 - "$EVAL" "$CORPUS/gt" "$out/$kind/md" <<'PY'
import glob, os, sys
sys.path.insert(0, sys.argv[1])
import score_text as st
found = predicted = total = 0
for md in sorted(glob.glob(os.path.join(sys.argv[3], "*.md"))):
    name = os.path.basename(md)[:-3]
    gt = os.path.join(sys.argv[2], name + ".headings.json")
    if not os.path.exists(gt):
        continue
    text = open(md, encoding="utf-8", errors="replace").read()
    titles = st.load_titles(st.Path(gt))
    f, t = st.heading_recall(titles, text)
    found += f; total += t
    predicted += len(st.HEADING_LINE.findall(text) + st.HTML_HEADING.findall(text))
print("headings: %d outline titles found of %d (recall %.3f); %d markdown headings (precision %.3f)"
      % (found, total, found / max(1, total), predicted, found / max(1, predicted)))
PY
done
