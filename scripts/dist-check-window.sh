#!/usr/bin/env bash
# dist-check-window.sh BINARY OUTDIR — runs inside xvfb-run + dbus-run-session
# (see dist-check.sh): the packaged Stamp shows its window, opens
# Message › About from the menu (screenshots OUTDIR/window.png and
# OUTDIR/about.png), and exits with status 0 when the window is closed.
set -euo pipefail
bin=$1 out=$2
fail() { echo "dist-check: FAIL: $*" >&2; [ -f "$out/stamp.log" ] && tail -20 "$out/stamp.log" >&2; exit 1; }

# A throw-away home: nothing of the developer's, nothing left behind.
tmp=$(mktemp -d)
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_CACHE_HOME=$tmp/cache
mkdir -p "$HOME"
export LIBGL_ALWAYS_SOFTWARE=1
openbox >/dev/null 2>&1 &
wm=$!
cleanup() { kill "$wm" 2>/dev/null || true; [ -n "${app:-}" ] && kill -9 "$app" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

"$bin" >"$out/stamp.log" 2>&1 &
app=$!
wid=$(timeout 10 xdotool search --sync --onlyvisible --name '^Stamp$' | head -1) ||
  fail "the packaged stamp showed no window named Stamp within 10 s"
sleep 1.5 # the first frames
import -window root "$out/window.png"
echo "dist-check: ok: the packaged stamp shows its window ($out/window.png)"

# Message › About: the menu bar is the window's first row; About is the
# item above Quit, the last one Fyne adds.
xdotool windowactivate --sync "$wid" 2>/dev/null || true
xdotool mousemove --window "$wid" 40 12 click 1
sleep 0.5
xdotool key Up
sleep 0.2
xdotool key Up
sleep 0.2
xdotool key Return
sleep 0.8
import -window root "$out/about.png"
kill -0 "$app" 2>/dev/null || fail "the app ended while opening Message › About"
echo "dist-check: screenshot of Message › About: $out/about.png"

wmctrl -c Stamp
for _ in $(seq 1 100); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
kill -0 "$app" 2>/dev/null && fail "the app did not exit within 10 s after its window was closed"
status=0
wait "$app" || status=$?
app=
[ "$status" -eq 0 ] || fail "the app exited with status $status after its window was closed"
echo "dist-check: ok: closing the window ends the app with status 0"
