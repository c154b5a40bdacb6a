#!/usr/bin/env bash
# ocr-check.sh PNG WORD... — reads a screenshot with tesseract (Simplified
# Chinese and English, Debian's tesseract-ocr-chi-sim) and fails unless every
# WORD is on it. For the window tests in another language: a text that is
# drawn as boxes (no CJK font) or left in English is not found.
# The image is enlarged, made grey and inverted first (Stamp's dark theme
# reads better as dark text on light), and spaces are removed from what
# tesseract read (it puts them between Chinese characters).
# OCR_CROP=WxH+X+Y limits the reading to the window.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: ocr-check.sh PNG WORD..." >&2; exit 2; }
png=$1; shift
command -v tesseract >/dev/null || { echo "ocr-check.sh: tesseract is missing (scripts/deps.sh test)" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
crop=(); [ -n "${OCR_CROP:-}" ] && crop=(-crop "$OCR_CROP")
convert "$png" "${crop[@]}" -resize 200% -colorspace Gray -negate "$tmp/in.png"
timeout 120 tesseract "$tmp/in.png" "$tmp/out" -l chi_sim+eng >/dev/null 2>&1
read_text=$(tr -d ' \t' < "$tmp/out.txt")
missing=0
for w in "$@"; do
  if ! grep -qF -- "${w// /}" <<<"$read_text"; then
    echo "ocr-check.sh: \"$w\" not found on $png" >&2
    missing=1
  fi
done
if [ $missing -ne 0 ]; then
  echo "ocr-check.sh: tesseract read:" >&2
  sed 's/^/  /' "$tmp/out.txt" >&2
  exit 1
fi
echo "ocr-check.sh: found $* on $png"
