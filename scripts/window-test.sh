#!/usr/bin/env bash
# window-test.sh [BINARY] — the real app under Xvfb: a window named "Stamp"
# must appear within 10 s with Stamp's icon set, a screenshot is kept in
# test-output/window/, and closing the window the way a window manager does
# (WM_DELETE_WINDOW via wmctrl + openbox) must end the process with status 0.
# Then it sends to the sandbox, sends 100 MiB while typing, and checks that
# the form comes back after kill -9 (scripts/window-test-inner.sh), and that
# a mailto: link and files handed to a running Stamp open there and send
# (scripts/window-test-mailto.sh).
#
# STAMP_TEST_DISPLAY=:NN runs Xvfb on that display number; without it,
# xvfb-run picks a free one.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-bin/stamp}
[ -x "$bin" ] || { echo "window-test: $bin is not built (run make build)" >&2; exit 1; }
mkdir -p test-output/window
display=(-a)
if [ -n "${STAMP_TEST_DISPLAY:-}" ]; then display=(-n "${STAMP_TEST_DISPLAY#:}"); fi
exec xvfb-run "${display[@]}" -s "-screen 0 1280x800x24 -nolisten tcp" \
  dbus-run-session -- bash scripts/window-test-inner.sh "$bin"
