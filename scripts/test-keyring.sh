#!/usr/bin/env bash
# test-keyring.sh — runs Stamp's keyring tests against a real Secret Service:
# a private D-Bus session (dbus-run-session) with a GNOME Keyring whose login
# keyring is created and unlocked with a throw-away password. Nothing touches
# the person's own keyring or settings: HOME, XDG_*, TMPDIR and
# STAMP_CONFIG_DIR all point into a fresh folder.
#
# Needs the Debian packages dbus (dbus-run-session), gnome-keyring and
# libsecret-tools (secret-tool, used by the tests as an independent reader).
# Afterwards it checks that no test secret (every one in
# scripts/test-secrets.txt, in every form scripts/secret-forms.go lists)
# shows up in the test output or in any file the tests left. That folder is
# kept as test-output/keyring/ (output.txt is the tests' output), so that
# scripts/secret-audit.sh searches it too; only the test binaries, which
# hold the secrets as literals, and the daemon's sockets are removed.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}

for cmd in dbus-run-session gnome-keyring-daemon secret-tool; do
  if ! command -v "$cmd" >/dev/null 2>&1; then
    echo "test-keyring.sh: $cmd is missing; install the Debian packages dbus gnome-keyring libsecret-tools (scripts/deps.sh test)" >&2
    exit 1
  fi
done

keep=test-output/keyring
rm -rf "$keep"
mkdir -p test-output
# A short path (the daemon's sockets live in it); moved to $keep at the end.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/stamp-keyring.XXXXXX")
bin=$(mktemp -d "${TMPDIR:-/tmp}/stamp-keyring-bin.XXXXXX")
# The tests' TMPDIR, shorter still: some tests bind Unix sockets in it (at
# most 108 bytes of path, test name included); moved to $keep/tmp too.
testtmp=$(mktemp -d "${TMPDIR:-/tmp}/sk.XXX")
cleanup() { rm -rf "$tmp" "$bin" "$testtmp"; }
trap cleanup EXIT
mkdir -p "$tmp/home" "$tmp/data" "$tmp/config" "$tmp/cache" "$tmp/runtime" "$tmp/stamp"
chmod 700 "$tmp/runtime"
# Every form of every test secret, outside the searched folder.
"$GO" run scripts/secret-forms.go scripts/test-secrets.txt | cut -f2- >"$bin/patterns"

# The packages whose tests use the real keyring when STAMP_REAL_KEYRING=1.
# Build their test binaries before HOME moves, so the Go caches are reused:
# with the race detector, except the Fyne packages (cgo GL bindings).
pkgs=$(grep -rl --include='*_test.go' STAMP_REAL_KEYRING . | xargs -n1 dirname | sort -u)
for d in $pkgs; do
  race=-race
  case "$d" in ./ui|./ui/*|./cmd/stamp) race= ;; esac
  "$GO" test -c $race -o "$bin/$(echo "${d#./}" | tr / -).test" "$d"
done

export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
  XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/runtime" STAMP_CONFIG_DIR="$tmp/stamp" \
  TMPDIR="$testtmp" STAMP_KEEP_TEST_DIRS=1 \
  STAMP_REAL_KEYRING=1 KEYRING_BIN="$bin" KEYRING_PKGS="$(echo $pkgs)"
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
    bin="$KEYRING_BIN/$(echo "${d#./}" | tr / -).test"
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
  cd account && STAMP_KEYRING_MAY_LOCK=1 "$KEYRING_BIN/account.test" -test.count=1 -test.v -test.run "^TestKeyringLockedCollection$"
' 2>&1 | grep -v "fd limit\|SystemPrompter\|cannot open display\|^$" | tee -a "$tmp/output.txt" || status=$?

# No test secret, in any form, in the output or in any file the tests left.
rm -rf "$tmp/runtime"
find "$testtmp" -type s -delete
mv "$testtmp" "$tmp/tmp"
mv "$tmp" "$keep"
if leaks=$(find "$keep" -type f -print0 | LC_ALL=C xargs -0 -r grep -a -l -F -f "$bin/patterns" --); then
  echo "test-keyring.sh: FAIL: a test secret appears in (scripts/secret-audit.sh names the secret and the form):" >&2
  echo "$leaks" >&2
  status=1
fi
[ "$status" -eq 0 ] && echo "test-keyring.sh: keyring tests passed against a real GNOME Keyring; no test secret in their output or files ($keep)"
exit "$status"
