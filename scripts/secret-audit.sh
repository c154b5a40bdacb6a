#!/usr/bin/env bash
# secret-audit.sh — the last step of `make test`: no test password or token
# may appear in anything the tests print or leave behind.
#
# 1. Runs the tests of the packages that handle secrets once more (verbose,
#    -short, without the race detector) with HOME, XDG_* and STAMP_CONFIG_DIR
#    inside test-output/secret-audit/, TMPDIR in a fresh folder, and with
#    STAMP_TEST_TRANSCRIPTS set so every SMTP session and every stamp-send
#    run writes its transcript there.
# 2. Searches test-output/ (that run's log, the transcripts, the settings,
#    data, draft and Sent folders it left, the fuzz log, the window test's
#    files), that TMPDIR, and the test folders of the last three hours in
#    $TMPDIR (stamp-keyring.*, stamp-account-test-*) for
#    every secret in scripts/test-secrets.txt, raw and in base64.
# Any hit fails with the file and line. Test failures in step 1 are reported
# but are the unit tests' business; this script fails only on a leak.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
list=scripts/test-secrets.txt
out=test-output/secret-audit
tmpdir=${TMPDIR:-/tmp}

rm -rf "$out"
mkdir -p "$out"/{home,config,data,cache,state,stamp,transcripts}
patterns=$(mktemp "$tmpdir/secret-audit-patterns.XXXXXX")
# The tests' TMPDIR: short, because some tests bind Unix sockets in it
# (at most 108 bytes of path, test name included); searched below, then
# removed.
testtmp=$(mktemp -d "$tmpdir/sa.XXX")
trap 'rm -f "$patterns"; rm -rf "$testtmp"' EXIT

grep -v -e '^#' -e '^[[:space:]]*$' "$list" | while IFS= read -r secret; do
	printf '%s\n' "$secret"
	printf '%s' "$secret" | base64 -w0
	echo
done >"$patterns"

# The Go caches stay where they are when HOME moves.
GOCACHE=$("$GO" env GOCACHE) GOMODCACHE=$("$GO" env GOMODCACHE) GOPATH=$("$GO" env GOPATH)
export GOCACHE GOMODCACHE GOPATH
pkgs="./smtpclient/... ./compose/... ./account/... ./cmd/stamp-send/... ./ui/..."
echo "secret-audit: running the tests of $pkgs with their output kept in $out"
set +e
(
	unset DBUS_SESSION_BUS_ADDRESS STAMP_REAL_KEYRING
	export HOME="$PWD/$out/home" XDG_CONFIG_HOME="$PWD/$out/config" XDG_DATA_HOME="$PWD/$out/data" \
		XDG_STATE_HOME="$PWD/$out/state" XDG_CACHE_HOME="$PWD/$out/cache" TMPDIR="$testtmp" \
		STAMP_CONFIG_DIR="$PWD/$out/stamp" STAMP_TEST_TRANSCRIPTS="$PWD/$out/transcripts"
	# shellcheck disable=SC2086
	"$GO" test -count=1 -short -v $pkgs
) >"$out/go-test.log" 2>&1
rc=$?
set -e
[ "$rc" -eq 0 ] || echo "secret-audit: note: some tests failed in the audit run (exit $rc); see $out/go-test.log" >&2

# test-output, this run's TMPDIR, and what earlier test runs left in
# $TMPDIR: the folders scripts/test-keyring.sh and the account tests make.
roots=(test-output "$testtmp")
while IFS= read -r d; do roots+=("$d"); done < <(find "$tmpdir" -maxdepth 1 \( -name 'stamp-keyring.*' -o -name 'stamp-account-test-*' \) -mmin -180 2>/dev/null)
files=$(find "${roots[@]}" -type f 2>/dev/null | wc -l)
echo "secret-audit: searching $files files under ${roots[*]} for $(wc -l <"$patterns") secret forms"

if hits=$(find "${roots[@]}" -type f -print0 2>/dev/null | xargs -0 -r grep -n -I -F -f "$patterns" --); then
	echo "secret-audit: FAIL: a test secret appears in:" >&2
	cut -c1-300 <<<"$hits" >&2
	exit 1
fi
transcripts=$(find "$out/transcripts" -type f | wc -l)
if [ "$transcripts" -eq 0 ]; then
	echo "secret-audit: FAIL: the tests wrote no transcripts to search (STAMP_TEST_TRANSCRIPTS ignored?)" >&2
	exit 1
fi
echo "secret-audit: no test secret in the test output, $transcripts transcripts or the folders the tests left"
