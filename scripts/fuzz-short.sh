#!/usr/bin/env bash
# fuzz-short.sh — runs every Fuzz* target in the repository for a few
# seconds each (FUZZTIME, default 4s), one after the other. The seed corpora
# in each package's testdata/fuzz/ run first; new interesting inputs stay in
# Go's cache ($(go env GOCACHE)/fuzz). A failing input is written to
# <package>/testdata/fuzz/<Target>/: fix the bug and commit that file with
# the fix, so the case runs in every `go test` from then on.
#
# Longer runs: docs/security.md. Output is also kept in test-output/fuzz-short.log.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-4s}
mkdir -p test-output
log=test-output/fuzz-short.log
: >"$log"

# package directory and target name of every fuzz function, e.g. "./smtpclient FuzzReplyParser"
targets=$(grep -rEo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]+\(' . |
	sed -E 's#^(.*)/[^/]+_test\.go:func (Fuzz[A-Za-z0-9_]+)\($#\1 \2#' | sort -u)
if [ -z "$targets" ]; then
	echo "fuzz-short: no fuzz targets found" >&2
	exit 1
fi

status=0
start=$SECONDS
while read -r pkg name; do
	t0=$SECONDS
	# Minimizing a new input may take up to a minute by default, far longer
	# than the whole run (one run ended in "context deadline exceeded" while
	# minimizing); new inputs are kept unminimized instead.
	if "$GO" test -run='^$' -fuzz="^${name}\$" -fuzztime="$FUZZTIME" -fuzzminimizetime="${FUZZMINIMIZETIME:-1s}" "$pkg" >>"$log" 2>&1; then
		echo "fuzz-short: $pkg $name ok ($((SECONDS - t0)) s)" | tee -a "$log"
	else
		status=1
		echo "fuzz-short: FAIL $pkg $name — the failing input is in $pkg/testdata/fuzz/$name/ (commit it with the fix)" | tee -a "$log" >&2
		grep -A20 -- '--- FAIL' "$log" | tail -20 >&2 || true
	fi
done <<<"$targets"
echo "fuzz-short: $(wc -l <<<"$targets") targets in $((SECONDS - start)) s" | tee -a "$log"
exit "$status"
