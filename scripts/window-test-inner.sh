#!/usr/bin/env bash
# Runs inside xvfb-run + dbus-run-session; see window-test.sh.
set -euo pipefail
bin=$1
out=test-output/window
fail() { echo "window-test: FAIL: $*" >&2; exit 1; }

# A throw-away home: no saved account, no draft, nothing of the developer's.
tmp=$(mktemp -d)
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_CACHE_HOME=$tmp/cache
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
export LIBGL_ALWAYS_SOFTWARE=1

openbox >/dev/null 2>&1 &
wm=$!
cleanup() { kill "$wm" 2>/dev/null || true; [ -n "${app:-}" ] && kill -9 "$app" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

start=$(date +%s.%N)
"$bin" >"$out/stamp.log" 2>&1 &
app=$!

wid=$(timeout 10 xdotool search --sync --onlyvisible --name '^Stamp$' | head -1) ||
  { cat "$out/stamp.log" >&2; fail "no window named Stamp within 10 s"; }
shown=$(date +%s.%N)
awk -v w="$wid" -v a="$start" -v b="$shown" 'BEGIN { printf "window-test: window %s appeared after %.2f s\n", w, b - a }'

# _NET_WM_ICON is width, height, then ARGB pixels. Stamp's icon is 512×512
# with the white envelope at (200,250); Fyne's default icon is neither.
icon=$(xprop -len 2000000 -id "$wid" -notype 32c _NET_WM_ICON | sed 's/^_NET_WM_ICON = //')
awk -F', ' '{ exit !($1 == 512 && $2 == 512 && $(3 + 250*512 + 200) == 4294967295) }' <<<"$icon" ||
  fail "the window does not carry Stamp's own 512×512 icon"

sleep 1.5 # let the first frames render before the screenshot
import -window root "$out/composer.png"
echo "window-test: screenshot $out/composer.png"

wmctrl -c Stamp
for _ in $(seq 1 100); do
  kill -0 "$app" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$app" 2>/dev/null; then fail "the app did not exit within 10 s after its window was closed"; fi
status=0; wait "$app" || status=$?
app=
[ "$status" -eq 0 ] || { cat "$out/stamp.log" >&2; fail "the app exited with status $status after its window was closed"; }
echo "window-test: window closed, app exited cleanly"
