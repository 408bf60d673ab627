#!/usr/bin/env bash
# searchable_pdf.sh [CORPUSDIR] — how well searchable.pdf gives its OCR text back, against
# OCRmyPDF on the same pages, in one run. For every scan of CORPUSDIR/scan (default
# ../shared/corpus/dev): `docmill convert`, then `pdftotext` on its searchable.pdf; and
# `ocrmypdf --force-ocr`, then `pdftotext` on its output. Prints
#   - the CER of searchable.pdf's text against docmill's own output.md (the text layer should
#     give back what docmill read, in reading order),
#   - CER/WER/BoW-F1 of searchable.pdf's text, output.md and OCRmyPDF's text against the ground
#     truth (../shared/eval/score_text.py).
# Needs a built build/release/docmill (or DOCMILL=path), scripts/setup.sh --dev (ocrmypdf,
# poppler-utils, python3-levenshtein). OUT=dir keeps the files.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${1:-$here/../shared/corpus/dev}
DOCMILL=${DOCMILL:-$here/build/release/docmill}
JOBS=${JOBS:-2}
EVAL=$here/../shared/eval
[ -d "$CORPUS/scan" ] || { echo "bench: no corpus at $CORPUS" >&2; exit 2; }
for tool in ocrmypdf pdftotext /usr/bin/python3 "$DOCMILL"; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (scripts/setup.sh --dev)" >&2; exit 2; }
done
out=${OUT:-}
if [ -z "$out" ]; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out"/{docmill,searchable,md,ocrmypdf,ocrmypdf-txt}
lang_of() { awk -F'\t' -v n="$1" '$1 == n { print $5 }' "$CORPUS/manifest.tsv"; }

for pdf in "$CORPUS"/scan/*.pdf; do
  name=$(basename "$pdf" .pdf)
  lang=$(lang_of "$name")
  rc=0
  "$DOCMILL" convert "$pdf" -o "$out/docmill/$name" --lang "$lang" --threads "$JOBS" 2>/dev/null || rc=$?
  [ "$rc" = 0 ] || [ "$rc" = 3 ] || { echo "bench: docmill convert $pdf failed ($rc)" >&2; exit 1; }
  pdftotext -enc UTF-8 "$out/docmill/$name/searchable.pdf" "$out/searchable/$name.txt"
  cp "$out/docmill/$name/output.md" "$out/md/$name.md"
  ocrmypdf -q --force-ocr --jobs "$JOBS" -l "$lang" "$pdf" "$out/ocrmypdf/$name.pdf"
  pdftotext -enc UTF-8 "$out/ocrmypdf/$name.pdf" "$out/ocrmypdf-txt/$name.txt"
  echo "bench: $name done" >&2
done

echo "== searchable.pdf's text against output.md: CER (reading order counts: pdftotext orders"
echo "   the page by its own analysis) and bag-of-words F1 (the words alone), normalized as the scorer does"
/usr/bin/python3 - "$EVAL" "$out/md" "$out/searchable" <<'PY'
import collections
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import Levenshtein
from score_text import normalize
md_dir, txt_dir = Path(sys.argv[2]), Path(sys.argv[3])
total_d = total_n = common = n_ref = n_hyp = 0
for md in sorted(md_dir.glob("*.md")):
    ref = normalize(md.read_text(encoding="utf-8"), markdown=True)
    hyp = normalize((txt_dir / (md.stem + ".txt")).read_text(encoding="utf-8"))
    d = Levenshtein.distance(ref, hyp)
    r, h = collections.Counter(ref.split()), collections.Counter(hyp.split())
    c = sum((r & h).values())
    total_d += d
    total_n += len(ref)
    common += c
    n_ref += sum(r.values())
    n_hyp += sum(h.values())
    f1 = 2 * c / max(1, sum(r.values()) + sum(h.values()))
    print(f"{md.stem:28s} CER {d / max(1, len(ref)):.4f}  BoW-F1 {f1:.4f}")
print(f"{'total':28s} CER {total_d / max(1, total_n):.4f}  BoW-F1 {2 * common / max(1, n_ref + n_hyp):.4f}")
PY
for kind in searchable md ocrmypdf-txt; do
  echo "== $kind against the ground truth"
  /usr/bin/python3 "$EVAL/score_text.py" "$CORPUS/gt" "$out/$kind" | tail -1
done
