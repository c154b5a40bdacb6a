#!/usr/bin/env bash
# gotest.sh NAME [go test flags and packages] — `make unit`'s runner: runs
# `go test -v` with the given flags, keeps the whole output in
# test-output/NAME.log (scripts/secret-audit.sh searches it), and prints
# one line per package, every failing test's output, and every SKIPPED test
# with its reason, so that a test that did not run is never mistaken for a
# pass (the full-disk tests skip unless run as root, the keyring and
# independent-server tests unless their scripts start them). Exits with
# go test's status.
set -uo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
[ $# -ge 2 ] || { echo "usage: scripts/gotest.sh NAME [go test flags] PACKAGES..." >&2; exit 2; }
name=$1
shift
mkdir -p test-output
log=test-output/$name.log
"$GO" test -v "$@" >"$log" 2>&1
status=$?

# Package results, and the output of each failing test ("=== RUN/CONT/NAME
# X" says whose output follows under -v).
awk '
	/^(ok|FAIL|\?)[ \t]/ { print; next }
	/^=== (RUN|CONT|NAME|PAUSE) / { cur = $3; next }
	/^ *--- FAIL: / { t = $3; print; printf "%s", out[t]; next }
	/^ *--- (PASS|SKIP): / { next }
	/^(PASS|FAIL)$/ { next }
	/^panic: / { panicking = 1 }
	panicking { print; next }
	{ out[cur] = out[cur] $0 "\n" }
' "$log"

# Every skipped test with its reason (the log lines before its SKIP line).
skips=$(awk '
	/^=== (RUN|CONT|NAME|PAUSE) / { cur = $3; next }
	/^ *--- SKIP: / { t = $3; r = reason[t]; sub(/^ +/, "", r); print "    SKIPPED " t ": " r; next }
	/^ +[^ ].*\.go:[0-9]+: / { l = $0; sub(/^ +[^ ]*\.go:[0-9]+: /, "", l); reason[cur] = reason[cur] " " l }
' "$log")
if [ -n "$skips" ]; then
	echo "gotest: $(wc -l <<<"$skips") tests were SKIPPED in this run ($log):"
	echo "$skips"
fi
exit "$status"
