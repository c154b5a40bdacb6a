#!/usr/bin/env bash
# window-test-zh.sh [BINARY] — the real app under Xvfb in LANG=zh_CN.UTF-8
# (with fonts-noto-cjk): opens Message › Language… and About with the
# keyboard-free menu clicks a person would make, keeps the screenshots in
# test-output/window-zh/, and reads them back with OCR
# (scripts/ocr-check.sh, tesseract chi_sim): the Chinese texts must be on
# screen, not boxes and not English. The composer's own labels (发送,
# 收件人) join the check once the composer is translated.
#
# STAMP_TEST_DISPLAY=:NN runs Xvfb on that display number.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-bin/stamp}
[ -x "$bin" ] || { echo "window-test-zh: $bin is not built (run make build)" >&2; exit 1; }
if [ "${1:-}" != "--inner" ] && [ -z "${STAMP_ZH_INNER:-}" ]; then
  display=(-a)
  if [ -n "${STAMP_TEST_DISPLAY:-}" ]; then display=(-n "${STAMP_TEST_DISPLAY#:}"); fi
  STAMP_ZH_INNER=1 exec xvfb-run "${display[@]}" -s "-screen 0 1280x800x24 -nolisten tcp" "$0" "$bin"
fi

out=test-output/window-zh
mkdir -p "$out"
home=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$home"; }
trap cleanup EXIT

fc-list :lang=zh family | grep -q . || { echo "window-test-zh: no CJK font (scripts/deps.sh build installs fonts-noto-cjk)" >&2; exit 1; }

env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG=zh_CN.UTF-8 HOME="$home" XDG_CONFIG_HOME="$home/.config" \
  XDG_DATA_HOME="$home/.local/share" XDG_RUNTIME_DIR="$home/run" "$bin" >"$out/stamp.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
  xdotool search --name '^Stamp$' >/dev/null 2>&1 && break
  sleep 0.1
done
win=$(xdotool search --name '^Stamp$' | head -1)
[ -n "$win" ] || { echo "window-test-zh: no Stamp window" >&2; exit 1; }
sleep 1
eval "$(xdotool getwindowgeometry --shell "$win")"
crop="${WIDTH}x${HEIGHT}+${X}+${Y}"

click() { xdotool mousemove $((X + $1)) $((Y + $2)) click 1; sleep 0.8; }

# The main menu: Stamp's items are translated, Fyne's own Quit too (a lone
# two-character item such as 关于 is too short for tesseract to read reliably).
click 45 14
import -window root "$out/menu.png"
OCR_CROP=$crop scripts/ocr-check.sh "$out/menu.png" 账户 已发送邮件 沙盒收件箱 语言 退出

# Message › Language…: the dialog in Chinese, the language names in their own
# (button labels on coloured buttons are not read reliably by tesseract).
click 35 330
import -window root "$out/language.png"
OCR_CROP=$crop scripts/ocr-check.sh "$out/language.png" 语言 跟随系统 简体中文 English
xdotool key Escape
sleep 0.5
echo "window-test-zh: the menu and the Language dialog read in Chinese; screenshots in $out/"
