#!/usr/bin/env bash
# test-keyring.sh — runs Stamp's keyring tests against a real Secret Service:
# a private D-Bus session (dbus-run-session) with a GNOME Keyring whose login
# keyring is created and unlocked with a throw-away password. Nothing touches
# the person's own keyring or settings: HOME, XDG_* and STAMP_CONFIG_DIR all
# point into a temporary folder that is removed afterwards.
#
# Needs the Debian packages dbus (dbus-run-session), gnome-keyring and
# libsecret-tools (secret-tool, used by the tests as an independent reader).
# Afterwards it checks that no test password shows up in the test output or
# in any file under the test settings folder.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}

for cmd in dbus-run-session gnome-keyring-daemon secret-tool; do
  if ! command -v "$cmd" >/dev/null 2>&1; then
    echo "test-keyring.sh: $cmd is missing; install the Debian packages dbus gnome-keyring libsecret-tools (scripts/deps.sh test)" >&2
    exit 1
  fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/stamp-keyring.XXXXXX")
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
mkdir -p "$tmp/bin" "$tmp/home" "$tmp/data" "$tmp/config" "$tmp/cache" "$tmp/runtime" "$tmp/stamp"
chmod 700 "$tmp/runtime"

# The packages whose tests use the real keyring when STAMP_REAL_KEYRING=1.
# Build their test binaries before HOME moves, so the Go caches are reused:
# with the race detector, except the Fyne packages (cgo GL bindings).
pkgs=$(grep -rl --include='*_test.go' STAMP_REAL_KEYRING . | xargs -n1 dirname | sort -u)
for d in $pkgs; do
  race=-race
  case "$d" in ./ui|./ui/*|./cmd/stamp) race= ;; esac
  "$GO" test -c $race -o "$tmp/bin/$(echo "${d#./}" | tr / -).test" "$d"
done

export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
  XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/runtime" STAMP_CONFIG_DIR="$tmp/stamp" \
  STAMP_REAL_KEYRING=1 KEYRING_TMP="$tmp" KEYRING_PKGS="$(echo $pkgs)"
# No display: an unlock prompt must fail at once, not pop up on a desktop.
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL SSH_AUTH_SOCK DISPLAY WAYLAND_DISPLAY

status=0
dbus-run-session -- bash -c '
  set -euo pipefail
  # --unlock reads the password on stdin and creates the login keyring if
  # there is none; its output is the environment of the running daemon.
  # The daemon that owns org.freedesktop.secrets is started by D-Bus
  # activation and finds this unlocked keyring through XDG_RUNTIME_DIR; all
  # of them end with the session bus.
  printf "stamp-keyring-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  rc=0
  for d in $KEYRING_PKGS; do
    bin="$KEYRING_TMP/bin/$(echo "${d#./}" | tr / -).test"
    (cd "$d" && "$bin" -test.count=1 -test.v -test.run "Keyring|Secret|Account") || rc=$?
  done
  exit $rc
' 2>&1 | tee "$tmp/output.txt" || status=$?

# A locked keyring cannot be unlocked again without its owner, so the test
# that locks it gets a session and a keyring of its own.
rm -rf "$tmp/data/keyrings" "$tmp/runtime/keyring"
dbus-run-session -- bash -c '
  set -euo pipefail
  printf "stamp-keyring-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  cd account && STAMP_KEYRING_MAY_LOCK=1 "$KEYRING_TMP/bin/account.test" -test.count=1 -test.v -test.run "^TestKeyringLockedCollection$"
' 2>&1 | grep -v "fd limit\|SystemPrompter\|cannot open display\|^$" | tee -a "$tmp/output.txt" || status=$?

# The tests use passwords containing this marker; none may leak.
marker="stamp-test-secret"
if grep -q "$marker" "$tmp/output.txt"; then
  echo "test-keyring.sh: FAIL: a test password appears in the test output" >&2
  status=1
fi
if grep -rqs "$marker" "$tmp/stamp" "$tmp/config"; then
  echo "test-keyring.sh: FAIL: a test password appears in a file under the settings folder:" >&2
  grep -rls "$marker" "$tmp/stamp" "$tmp/config" >&2
  status=1
fi
[ "$status" -eq 0 ] && echo "test-keyring.sh: keyring tests passed against a real GNOME Keyring"
exit "$status"
