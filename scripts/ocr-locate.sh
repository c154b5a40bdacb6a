#!/usr/bin/env bash
# ocr-locate.sh PNG WORD — finds WORD on a screenshot with tesseract (as
# scripts/ocr-check.sh reads it: Simplified Chinese and English, enlarged,
# grey, inverted) and prints the screen coordinates of its centre as
# "X Y", for xdotool to click. The window tests find menu items and buttons
# this way instead of at fixed positions, so a menu that gains an item does
# not make them click the wrong one. Fails (exit 1) when WORD is not there.
# OCR_CROP=WxH+X+Y limits the reading to the window; the coordinates
# printed are still the screen's.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: ocr-locate.sh PNG WORD" >&2; exit 2; }
png=$1 word=$2
command -v tesseract >/dev/null || { echo "ocr-locate.sh: tesseract is missing (scripts/deps.sh test)" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
crop=(); ox=0; oy=0
if [ -n "${OCR_CROP:-}" ]; then
  crop=(-crop "$OCR_CROP")
  off=${OCR_CROP#*+}; ox=${off%%+*}; oy=${off#*+}
fi
convert "$png" "${crop[@]}" +repage -resize 200% -colorspace Gray -negate "$tmp/in.png"
timeout 120 tesseract "$tmp/in.png" "$tmp/out" -l chi_sim+eng tsv >/dev/null 2>&1
# tesseract's TSV has one row per word (level 5); Chinese comes one or two
# characters a word. The words of a line are joined without spaces, WORD is
# looked for in the line, and the boxes of the words it spans give its place
# (halved: the image was enlarged twice).
python3 - "$tmp/out.tsv" "$word" "$ox" "$oy" <<'PY'
import csv, sys
path, word, ox, oy = sys.argv[1], sys.argv[2].replace(" ", ""), int(sys.argv[3]), int(sys.argv[4])
lines = {}
with open(path, encoding="utf-8") as f:
    for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (r.get("text") or "").replace(" ", "")
        if r["level"] != "5" or not text:
            continue
        key = (r["page_num"], r["block_num"], r["par_num"], r["line_num"])
        lines.setdefault(key, []).append((text, int(r["left"]), int(r["top"]), int(r["width"]), int(r["height"])))
for words in lines.values():
    joined, owner = "", []
    for i, (text, *_rest) in enumerate(words):
        joined += text
        owner += [i] * len(text)
    at = joined.find(word)
    if at < 0:
        continue
    span = words[owner[at]:owner[at + len(word) - 1] + 1]
    left = min(w[1] for w in span)
    right = max(w[1] + w[3] for w in span)
    top = min(w[2] for w in span)
    bottom = max(w[2] + w[4] for w in span)
    print(ox + (left + right) // 4, oy + (top + bottom) // 4)
    sys.exit(0)
print("ocr-locate.sh: \"%s\" not found; tesseract read: %s" % (word, " | ".join("".join(w[0] for w in ws) for ws in lines.values())), file=sys.stderr)
sys.exit(1)
PY
