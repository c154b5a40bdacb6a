#!/usr/bin/env bash
# window-test.sh [BINARY] — the real app under Xvfb: a window named "Stamp"
# must appear within 10 s with Stamp's icon set, a screenshot is kept in
# test-output/window/, and closing the window the way a window manager does
# (WM_DELETE_WINDOW via wmctrl + openbox) must end the process with status 0.
# Then it sends to the sandbox, completes an address that send taught (two
# letters, Enter), sends 100 MiB while typing, checks that the form comes
# back after kill -9, opens a second composer (Ctrl+N), kills Stamp with
# both open and checks both come back, one window each, listed in the
# Window menu, and that Quit keeps both, and that a message waiting out its
# undo delay shows its count in both composers and survives kill -9 to be
# sent at the next start (scripts/window-test-inner.sh); then
# types an address into the Accounts window, whose settings are looked up
# on loopback servers, and signs in from it with a real Chromium against a
# loopback OpenID provider, then sends from the composer with that sign-in
# to a sandbox that checks the token with the provider
# (scripts/window-test-accounts.sh), and that
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
# The Accounts window's part asks loopback DNS, HTTPS and OpenID servers,
# served by tests of cmd/stamp (scripts/window-test-accounts.sh): built here, before
# the test's throw-away HOME hides the Go caches.
go test -c -o bin/discover-fixture.test ./cmd/stamp ||
  { echo "window-test: cannot build the discovery test servers (cmd/stamp's test)" >&2; exit 1; }
display=(-a)
if [ -n "${STAMP_TEST_DISPLAY:-}" ]; then display=(-n "${STAMP_TEST_DISPLAY#:}"); fi
exec xvfb-run "${display[@]}" -s "-screen 0 1280x800x24 -nolisten tcp" \
  dbus-run-session -- bash scripts/window-test-inner.sh "$bin"
