#!/usr/bin/env bash
# secret-audit.sh — the last step of `make test`: no test password or token
# may appear in anything the tests print or leave behind.
#
# 1. Runs the tests of the packages that handle secrets or run beside them
#    (smtpclient, compose, account, stamp-send, ui, oauth, discover,
#    instance, outbox, contacts, mailto, i18n, cmd/stamp) once more (verbose,
#    -short, without the race detector) with HOME, XDG_* and STAMP_CONFIG_DIR
#    inside test-output/secret-audit/, TMPDIR in a fresh folder, with
#    STAMP_TEST_TRANSCRIPTS set so every SMTP session and every stamp-send
#    run writes its transcript there, with STAMP_KEEP_TEST_DIRS=1 so the
#    account tests keep their stamp-account-test-* folder for the search,
#    and with -artifacts, so every t.ArtifactDir() is kept in
#    test-output/secret-audit/artifacts/.
# 2. Searches, byte by byte (files with a NUL byte too), test-output/ (that
#    run's log, the transcripts, the settings, data, draft and Sent folders
#    it left, the unit-test logs, the fuzz log, the window test's files, and
#    test-output/keyring/, which scripts/test-keyring.sh keeps) and that
#    TMPDIR, for every secret in scripts/test-secrets.txt in every form
#    scripts/secret-forms.go lists: as is, quoted (strconv.Quote, JSON),
#    with smtpclient.Printable's visible escapes, and in base64.
# Any hit fails with the file, the line numbers and which secret in which
# form (never the secret itself). Test failures in step 1 are reported but
# are the unit tests' business; this script fails only on a leak.
#
# secret-audit.sh --self-test proves the search can fail: it plants every
# form of every secret in files with NUL bytes, and in the folder the
# account tests delete unless told to keep it, and checks that each one is
# reported (and that a file without a secret is not).
#
# Not searched (a known gap): the folders of t.TempDir(), which the testing
# package deletes when each test ends; what the tests write there reaches
# the search only through their output and transcripts. A test whose files
# should be searched writes them under t.ArtifactDir() instead (Go 1.26: a
# temporary folder in other runs, kept by this one).
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
export LC_ALL=C # byte-wise matching: a secret is a byte string
list=scripts/test-secrets.txt
tmpdir=${TMPDIR:-/tmp}

# Outside every searched folder: these files hold the secrets themselves.
forms=$(mktemp "$tmpdir/secret-audit-forms.XXXXXX")
patterns=$(mktemp "$tmpdir/secret-audit-patterns.XXXXXX")
cleanup_files=("$forms" "$patterns")
cleanup_dirs=()
cleanup() {
	rm -f "${cleanup_files[@]}"
	if [ ${#cleanup_dirs[@]} -gt 0 ]; then rm -rf "${cleanup_dirs[@]}"; fi
}
trap cleanup EXIT

"$GO" run scripts/secret-forms.go "$list" >"$forms"
cut -f2- "$forms" >"$patterns"

# search ROOT...: prints "file: lines L: secret on line N, FORM" for every
# form of a secret found in a regular file under the ROOTs, and returns 1
# when there is any. -a: a file with a NUL byte is searched like any other
# (grep -I would skip it).
search() {
	local hitfiles f
	hitfiles=$(find "$@" -type f -print0 2>/dev/null | xargs -0 -r grep -a -l -F -f "$patterns" -- || true)
	[ -n "$hitfiles" ] || return 0
	while IFS= read -r f; do
		# -o prints each match (the longest at its place) as "line:form";
		# awk turns the form into its label.
		grep -a -n -o -F -f "$patterns" -- "$f" | awk -v file="$f" -v forms="$forms" '
			BEGIN { while ((getline l < forms) > 0) { i = index(l, "\t"); label[substr(l, i + 1)] = substr(l, 1, i - 1) } }
			{
				i = index($0, ":"); k = label[substr($0, i + 1)]
				if (!(k in lines)) { order[++n] = k; lines[k] = substr($0, 1, i - 1) }
				else if (count[k] < 5) lines[k] = lines[k] "," substr($0, 1, i - 1)
				count[k]++
			}
			END { for (j = 1; j <= n; j++) print file ": lines " lines[order[j]] ": " order[j] }'
	done <<<"$hitfiles"
	return 1
}

self_test() {
	local st n=0 planted=0 missed=0 label form report
	st=$(mktemp -d "$tmpdir/secret-audit-selftest.XXXXXX")
	cleanup_dirs+=("$st")
	mkdir -p "$st/nul"
	# 1. Every form, between NUL bytes and binary noise, in a file of its own.
	while IFS=$'\t' read -r label form; do
		n=$((n + 1))
		{ head -c 512 /dev/urandom; printf '\0before %s after\0' "$form"; head -c 512 /dev/urandom; } >"$st/nul/form-$n.bin"
	done <"$forms"
	# A control: the same kind of file with no secret must not be reported.
	printf 'stamp-test-secre\0t and hunter\0002 cut by NUL bytes\n' >"$st/nul/clean.bin"
	set +e
	report=$(search "$st/nul")
	set -e
	n=0
	while IFS=$'\t' read -r label form; do
		n=$((n + 1))
		planted=$((planted + 1))
		if ! grep -F -e "$st/nul/form-$n.bin: lines " <<<"$report" | sed 's/^.*: lines [0-9,]*: //' | grep -q -F -x -e "$label"; then
			echo "secret-audit: self-test FAIL: not found in a file with NUL bytes: $label" >&2
			missed=$((missed + 1))
		fi
	done <"$forms"
	if grep -q -F "$st/nul/clean.bin" <<<"$report"; then
		echo "secret-audit: self-test FAIL: a file without any secret was reported" >&2
		missed=$((missed + 1))
	fi

	# 2. The folder a producer deletes when it ends: the account tests remove
	#    their stamp-account-test-* folder unless STAMP_KEEP_TEST_DIRS=1,
	#    as the audit run sets it. Run them (no test, just TestMain), plant
	#    a secret in what they kept, and search the way the audit does.
	mkdir -p "$st/tmp"
	TMPDIR="$st/tmp" STAMP_KEEP_TEST_DIRS=1 "$GO" test -count=1 -run '^$' ./account/ >"$st/account.log" 2>&1 ||
		{ echo "secret-audit: self-test FAIL: the account tests did not run:" >&2; cat "$st/account.log" >&2; exit 1; }
	local kept
	kept=$(find "$st/tmp" -maxdepth 1 -name 'stamp-account-test-*' | head -1)
	if [ -z "$kept" ]; then
		echo "secret-audit: self-test FAIL: the account tests deleted their folder although STAMP_KEEP_TEST_DIRS=1: the audit cannot search it" >&2
		missed=$((missed + 1))
	else
		mkdir -p "$kept/cfg-x/Stamp"
		form=$(sed -n 2p "$forms" | cut -f2-)
		printf '{"password": "%s"}\n' "$form" >"$kept/cfg-x/Stamp/accounts.json"
		planted=$((planted + 1))
		set +e
		report=$(search "$st/tmp")
		set -e
		grep -q -F "$kept/cfg-x/Stamp/accounts.json" <<<"$report" || {
			echo "secret-audit: self-test FAIL: a secret in the account tests' kept folder was not found" >&2
			missed=$((missed + 1))
		}
	fi
	if [ "$missed" -ne 0 ]; then
		echo "secret-audit: self-test FAIL: $missed of $planted planted secrets missed (or a false alarm)" >&2
		exit 1
	fi
	echo "secret-audit: self-test: all $planted planted secret forms found (files with NUL bytes, the account tests' kept folder); a clean file was not reported"
}

if [ "${1:-}" = "--self-test" ]; then
	self_test
	exit 0
fi
[ $# -eq 0 ] || { echo "usage: scripts/secret-audit.sh [--self-test]" >&2; exit 2; }

out=test-output/secret-audit
rm -rf "$out"
mkdir -p "$out"/{home,config,data,cache,state,stamp,transcripts,artifacts}
# The tests' TMPDIR: short, because some tests bind Unix sockets in it
# (at most 108 bytes of path, test name included); searched below, then
# removed.
testtmp=$(mktemp -d "$tmpdir/sa.XXX")
cleanup_dirs+=("$testtmp")
# Others may pass through it (not list it), like /tmp: run as root,
# instance's TestAPeerOfAnotherUserIsRefused runs its test binary as another
# user against a socket in here.
chmod 0711 "$testtmp"

# The Go caches stay where they are when HOME moves.
GOCACHE=$("$GO" env GOCACHE) GOMODCACHE=$("$GO" env GOMODCACHE) GOPATH=$("$GO" env GOPATH)
export GOCACHE GOMODCACHE GOPATH
pkgs="./smtpclient/... ./compose/... ./account/... ./cmd/stamp-send/... ./ui/... ./oauth/... ./discover/... ./instance/... ./outbox/... ./contacts/... ./mailto/... ./i18n/... ./cmd/stamp/..."
echo "secret-audit: running the tests of $pkgs with their output kept in $out"
set +e
(
	unset DBUS_SESSION_BUS_ADDRESS STAMP_REAL_KEYRING
	export HOME="$PWD/$out/home" XDG_CONFIG_HOME="$PWD/$out/config" XDG_DATA_HOME="$PWD/$out/data" \
		XDG_STATE_HOME="$PWD/$out/state" XDG_CACHE_HOME="$PWD/$out/cache" TMPDIR="$testtmp" \
		STAMP_CONFIG_DIR="$PWD/$out/stamp" STAMP_TEST_TRANSCRIPTS="$PWD/$out/transcripts" \
		STAMP_KEEP_TEST_DIRS=1
	# shellcheck disable=SC2086
	"$GO" test -count=1 -short -v -artifacts -outputdir "$PWD/$out/artifacts" $pkgs
) >"$out/go-test.log" 2>&1
rc=$?
set -e
[ "$rc" -eq 0 ] || echo "secret-audit: note: some tests failed in the audit run (exit $rc); see $out/go-test.log" >&2

status=0
# The folders that would otherwise be gone before this search: they must be here.
if ! find "$testtmp" -maxdepth 1 -name 'stamp-account-test-*' | grep -q .; then
	echo "secret-audit: FAIL: the account tests deleted their stamp-account-test-* folder (STAMP_KEEP_TEST_DIRS ignored?): nothing they wrote can be searched" >&2
	status=1
fi
if [ -d test-output/keyring ]; then
	[ -s test-output/keyring/output.txt ] || {
		echo "secret-audit: FAIL: test-output/keyring has no output.txt: scripts/test-keyring.sh no longer keeps its output" >&2
		status=1
	}
	keyring="test-output/keyring (scripts/test-keyring.sh)"
else
	keyring="no test-output/keyring: scripts/test-keyring.sh has not run, its files are not searched"
	echo "secret-audit: note: $keyring" >&2
fi

roots=(test-output "$testtmp")
files=$(find "${roots[@]}" -type f 2>/dev/null | wc -l)
echo "secret-audit: searching $files files under test-output (with $keyring) and the tests' TMPDIR for $(wc -l <"$patterns") forms of $(grep -c -v -e '^#' -e '^[[:space:]]*$' "$list") secrets"

if ! hits=$(search "${roots[@]}"); then
	echo "secret-audit: FAIL: a test secret appears in:" >&2
	cut -c1-300 <<<"$hits" >&2
	exit 1
fi
transcripts=$(find "$out/transcripts" -type f | wc -l)
if [ "$transcripts" -eq 0 ]; then
	echo "secret-audit: FAIL: the tests wrote no transcripts to search (STAMP_TEST_TRANSCRIPTS ignored?)" >&2
	exit 1
fi
[ "$status" -eq 0 ] || exit 1
echo "secret-audit: no test secret in the test output, $transcripts transcripts or the folders the tests left"
