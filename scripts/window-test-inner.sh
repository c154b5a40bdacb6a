#!/usr/bin/env bash
# Runs inside xvfb-run + dbus-run-session; see window-test.sh.
set -euo pipefail
bin=$1
out=test-output/window
fail() { echo "window-test: FAIL: $*" >&2; [ -f "$out/stamp.log" ] && tail -20 "$out/stamp.log" >&2; exit 1; }
shot() { import -window root "$out/$1.png"; echo "window-test: screenshot $out/$1.png"; }

# A throw-away home: no saved account, no draft, nothing of the developer's,
# so Stamp starts with its sandbox server selected.
tmp=$(mktemp -d)
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_CACHE_HOME=$tmp/cache
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
export LIBGL_ALWAYS_SOFTWARE=1
inbox=$XDG_DATA_HOME/Stamp/Sandbox

openbox >/dev/null 2>&1 &
wm=$!
cleanup() { kill "$wm" 2>/dev/null || true; [ -n "${app:-}" ] && kill -9 "$app" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

# The file named on the command line is attached ("Open with Stamp").
attachment=$tmp/report-2026.pdf
head -c 300000 /dev/urandom >"$attachment"

start=$(date +%s.%N)
"$bin" "$attachment" >"$out/stamp.log" 2>&1 &
app=$!

wid=$(timeout 10 xdotool search --sync --onlyvisible --name '^Stamp$' | head -1) ||
  fail "no window named Stamp within 10 s"
shown=$(date +%s.%N)
awk -v w="$wid" -v a="$start" -v b="$shown" 'BEGIN { printf "window-test: window %s appeared after %.2f s\n", w, b - a }'

# _NET_WM_ICON is width, height, then ARGB pixels. Stamp's icon is 512×512
# with the white envelope at (200,250); Fyne's default icon is neither.
icon=$(xprop -len 2000000 -id "$wid" -notype 32c _NET_WM_ICON | sed 's/^_NET_WM_ICON = //')
awk -F', ' '{ exit !($1 == 512 && $2 == 512 && $(3 + 250*512 + 200) == 4294967295) }' <<<"$icon" ||
  fail "the window does not carry Stamp's own 512×512 icon"

sleep 1.5 # let the first frames render before the screenshot
shot composer-empty

# Type a message the way a person does: the keyboard focus starts in To;
# Ctrl+Shift+B shows Cc and Bcc; Tab follows the form; Ctrl+Enter sends.
xdotool windowactivate --sync "$wid" 2>/dev/null || xdotool windowfocus --sync "$wid"
sleep 0.3
type() { xdotool type --delay 15 -- "$1"; }
type 'Ann <ann@example.com>'
xdotool key ctrl+shift+b
sleep 0.3
xdotool key Tab; type 'bob@example.com'
xdotool key Tab; type 'carol@example.com'
xdotool key Tab; type 'Window test'
xdotool key Tab; type 'Hello from the window test. The report is attached.'
sleep 0.5
shot composer-filled
xdotool key ctrl+Return

# The sandbox keeps each message it receives as .eml + .json (envelope).
for _ in $(seq 1 100); do
  ls "$inbox"/*.json >/dev/null 2>&1 && break
  sleep 0.1
done
env_file=$(ls "$inbox"/*.json 2>/dev/null | head -1) || true
[ -n "$env_file" ] || { shot send-failed; fail "the sandbox received nothing within 10 s of Ctrl+Enter"; }
sleep 1 # the panel shows the outcome
shot send-panel
eml=${env_file%.json}.eml
for r in ann@example.com bob@example.com carol@example.com; do
  grep -q "\"$r\"" "$env_file" || fail "$r is not in the envelope the sandbox received: $(cat "$env_file")"
done
if grep -qi '^bcc:' "$eml" || grep -q 'carol@example.com' "$eml"; then
  fail "the Bcc recipient is visible in the received message"
fi
grep -q 'filename\*\?=.*report-2026.pdf' "$eml" || grep -q 'report-2026.pdf' "$eml" ||
  fail "the attachment is not in the received message"
echo "window-test: the sandbox received the message for To, Cc and Bcc, with no Bcc header"

# Close every window the way a window manager does; the composer is the
# master window, so closing it ends the app.
for w in $(xdotool search --name 'Stamp$' 2>/dev/null); do
  xdotool getwindowname "$w" | grep -q '^Stamp$' || wmctrl -i -c "$w" || true
done
sleep 0.3
wmctrl -c Stamp
for _ in $(seq 1 100); do
  kill -0 "$app" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$app" 2>/dev/null; then shot close-failed; fail "the app did not exit within 10 s after its window was closed"; fi
status=0; wait "$app" || status=$?
app=
[ "$status" -eq 0 ] || fail "the app exited with status $status after its window was closed"
echo "window-test: window closed, app exited cleanly"
