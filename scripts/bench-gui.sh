#!/usr/bin/env bash
# bench-gui.sh [STAMP] [STAMP_SEND] — the desktop app under Xvfb + openbox,
# driven with xdotool as scripts/window-test.sh does:
#   1. launch to visible window (BENCH_RUNS launches, fresh profile each),
#      idle RSS 5 s after the window appeared and idle CPU over the next 5 s;
#   2. a 100 MiB attachment sent from the real window over STARTTLS + AUTH
#      to internal/benchsink (a saved account, password in a real GNOME
#      Keyring): time from Send ("Send anyway" in the size warning) to the
#      sink's count, RSS and CPU of
#      the app meanwhile, and, with STAMP_FRAME_LOG on, the gaps between
#      successive paints (see cmd/stamp/framelog.go). The send is run
#      without the frame log (CPU, RSS) and with it (frame gaps), alternately.
# Prints Markdown tables. Needs the build and test groups of scripts/deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in xvfb-run xdotool openbox wmctrl dbus-run-session gnome-keyring-daemon; do
	command -v "$tool" >/dev/null || { echo "bench-gui: $tool is missing (scripts/deps.sh test)" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT # until exec; then bench-gui-inner.sh removes it
bin=${1:-}
ss=${2:-}
if [ -z "$bin" ]; then go build -o "$work/stamp" ./cmd/stamp; bin=$work/stamp; fi
if [ -z "$ss" ]; then go build -o "$work/stamp-send" ./cmd/stamp-send; ss=$work/stamp-send; fi
go build -o "$work/benchsink" ./internal/benchsink
# The floor for idle RSS: the smallest Fyne app like Stamp's composer (one
# 760×620 window titled Stamp, a label and a focused entry), built from this
# module so it uses the same Fyne. Written into a dot-folder (go's ./...
# skips those) and removed again: only ui and cmd/stamp import Fyne.
floor_src=.bench-floor
rm -rf "$floor_src"; mkdir -p "$floor_src"
trap 'rm -rf "$work" "$floor_src"' EXIT
cat >"$floor_src/main.go" <<'GO'
// Command floor is the smallest Fyne window like Stamp's composer.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("app.stampmail.floor")
	w := a.NewWindow("Stamp")
	e := widget.NewMultiLineEntry()
	e.SetPlaceHolder("Message")
	w.SetContent(container.NewBorder(widget.NewLabel("To"), nil, nil, nil, e))
	w.Resize(fyne.NewSize(760, 620))
	w.Canvas().Focus(e)
	w.ShowAndRun()
}
GO
go build -o "$work/floor" "./$floor_src"
rm -rf "$floor_src"
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL SSH_AUTH_SOCK
exec xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
	dbus-run-session -- bash ${BENCH_X:-} scripts/bench-gui-inner.sh "$(realpath "$bin")" "$(realpath "$ss")" "$work/benchsink" "$work"
