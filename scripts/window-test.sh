#!/usr/bin/env bash
# window-test.sh [BINARY] — the real app under Xvfb: a window named "Stamp"
# must appear within 10 s with Stamp's icon set, a screenshot is kept in
# test-output/window/, and closing the window the way a window manager does
# (WM_DELETE_WINDOW via wmctrl + openbox) must end the process with status 0.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-bin/stamp}
[ -x "$bin" ] || { echo "window-test: $bin is not built (run make build)" >&2; exit 1; }
mkdir -p test-output/window
exec xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
  dbus-run-session -- bash scripts/window-test-inner.sh "$bin"
