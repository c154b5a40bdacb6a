#!/usr/bin/env bash
# window-test-zh.sh [BINARY] — the real app under Xvfb in LANG=zh_CN.UTF-8
# (with fonts-noto-cjk): opens Message › Language… with the clicks a person
# would make, then types a Chinese subject and body into the composer, sends
# it to the built-in sandbox and checks the received message's subject
# (decoded by Python's email package). Screenshots are kept in
# test-output/window-zh/ and read back with OCR (scripts/ocr-check.sh,
# tesseract chi_sim): the Chinese texts (菜单, 语言, 发送, 收件人, …) must be
# on screen, not boxes and not English.
#
# Chinese text reaches the window by pasting (xclip into the CLIPBOARD, then
# Ctrl+V), not by xdotool type: xdotool types a character outside the
# keyboard map by remapping a spare keycode first, and the first CJK
# character of a string is often lost while the server learns the new map.
# A paste is what an input method delivers too: committed text, at once.
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

for cmd in xdotool xclip import tesseract python3; do
  command -v "$cmd" >/dev/null || { echo "window-test-zh: $cmd is missing (scripts/deps.sh test)" >&2; exit 1; }
done
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
# clickon PNG WORD [DX]: clicks WORD (or DX pixels right of it) where
# tesseract finds it on the screenshot (scripts/ocr-locate.sh), so a menu
# that gains an item or a form that moves does not make the test click the
# wrong thing.
clickon() {
  local at
  at=$(OCR_CROP=$crop scripts/ocr-locate.sh "$1" "$2") || { echo "window-test-zh: cannot find \"$2\" to click on $1" >&2; exit 1; }
  xdotool mousemove $((${at% *} + ${3:-0})) ${at#* } click 1
  sleep 0.8
}

# The main menu: Stamp's items are translated, Fyne's own Quit too (a lone
# two-character item such as 关于 is too short for tesseract to read reliably).
click 45 14
import -window root "$out/menu.png"
OCR_CROP=$crop scripts/ocr-check.sh "$out/menu.png" 发送 保存草稿 账户 已发送邮件 沙盒收件箱 退出

# Message › Language…: the dialog in Chinese, the language names in their own
# (button labels on coloured buttons are not read reliably by tesseract).
# The item is found on the menu's screenshot by its text.
clickon "$out/menu.png" 语言
import -window root "$out/language.png"
OCR_CROP=$crop scripts/ocr-check.sh "$out/language.png" 语言 跟随系统 简体中文 English
# Cancel, left of Save at the dialog's end, closes it. tesseract does not
# read button labels next to their icons, so the keyboard reaches it:
# Shift+Tab from nothing focuses the last control (Save), again Cancel.
xdotool key shift+Tab shift+Tab space
sleep 0.8

# The composer: click into Subject (right of its label 主题, which no
# other text on screen contains; 收件人 is also in the status line), go back
# to To with Shift+Tab, type the address, Tab to Subject and Body and paste
# the Chinese texts.
subject='测试邮件：第三季度报告'
body='你好，这是一封中文测试邮件，请查阅。'
paste() {
  printf '%s' "$1" | xclip -selection clipboard -i
  sleep 0.2
  xdotool key ctrl+v
  sleep 0.3
}
import -window root "$out/composer-empty.png"
clickon "$out/composer-empty.png" 主题 200
xdotool key shift+Tab
xdotool type --delay 15 -- 'ann@example.com'
xdotool key Tab; paste "$subject"
xdotool key Tab; paste "$body"
sleep 0.8
import -window root "$out/composer.png"
convert "$out/composer.png" -crop "$crop" +repage "$out/composer-window.png"
OCR_CROP=$crop scripts/ocr-check.sh "$out/composer.png" 收件人 主题 测试邮件 将投递到
# Send, white on the blue button at the bottom right, is read alone: its
# label without the icon (in the whole window tesseract takes the coloured
# button for a picture, and the icon for a character).
OCR_CROP="45x30+$((X + WIDTH - 49))+$((Y + HEIGHT - 82))" scripts/ocr-check.sh "$out/composer.png" 发送

# Send (Ctrl+Enter) and read what the sandbox received.
inbox=$home/.local/share/Stamp/Sandbox
xdotool key ctrl+Return
for _ in $(seq 100); do
  ls "$inbox"/*.eml >/dev/null 2>&1 && break
  sleep 0.1
done
eml=$(ls "$inbox"/*.eml 2>/dev/null | head -1) || true
[ -n "$eml" ] || { import -window root "$out/send-failed.png"; echo "window-test-zh: the sandbox received nothing within 10 s of Ctrl+Enter" >&2; exit 1; }
got=$(python3 -c 'import sys, email, email.policy
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
print(m["subject"])
print(m.get_body(("plain",)).get_content().strip())' "$eml")
[ "$got" = "$subject"$'\n'"$body" ] || { echo "window-test-zh: received subject and body differ: $got" >&2; exit 1; }
sleep 1 # the panel shows the outcome
panel=$(xdotool search --name '^正在发送 ' | head -1)
[ -n "$panel" ] || { echo "window-test-zh: no send panel titled 正在发送 …" >&2; exit 1; }
eval "$(xdotool getwindowgeometry --shell "$panel")"
import -window root "$out/send-panel.png"
convert "$out/send-panel.png" -crop "${WIDTH}x${HEIGHT}+${X}+${Y}" +repage "$out/send-panel-window.png"
OCR_CROP="${WIDTH}x${HEIGHT}+${X}+${Y}" scripts/ocr-check.sh "$out/send-panel.png" 步骤 通信记录 已发送给
echo "window-test-zh: the menu, the Language dialog, the composer and the send panel read in Chinese;" \
  "the sandbox received \"$subject\"; screenshots in $out/"
