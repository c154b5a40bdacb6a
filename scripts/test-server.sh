#!/usr/bin/env bash
# Runs Stamp's SMTP client against an independent server from Debian's
# packages: python3-aiosmtpd on 127.0.0.1 with STARTTLS (a certificate made
# here with openssl) and AUTH PLAIN/LOGIN, saving what it receives to a
# spool folder the tests read. The server and its files are removed on exit.
#
# The tests skip without the server's environment, so the script runs them
# verbosely (output kept in test-output/test-server.log) and fails unless
# every Test…Independent… function in those packages' source ran and passed,
# and nothing was skipped: a drifted environment contract cannot pass by
# testing nothing.
#
# Needs: python3-aiosmtpd, openssl, go. Usage: scripts/test-server.sh [go test flags]
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=/usr/bin/python3 # Debian's, where python3-aiosmtpd lives (not a pyenv shim)
if ! "$PYTHON" -c 'import aiosmtpd' 2>/dev/null; then
	echo "test-server: python3-aiosmtpd is missing (apt-get install python3-aiosmtpd)" >&2
	exit 1
fi

work=$(mktemp -d)
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
	-subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
	-keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

# A fresh password per run, passed through the environment only.
STAMP_INDEPENDENT_USER=tester
STAMP_INDEPENDENT_PASSWORD=$(openssl rand -hex 16)
export STAMP_INDEPENDENT_USER STAMP_INDEPENDENT_PASSWORD

"$PYTHON" scripts/independent-smtpd.py --cert "$work/cert.pem" --key "$work/key.pem" \
	--spool "$work/spool" --user "$STAMP_INDEPENDENT_USER" \
	--password-env STAMP_INDEPENDENT_PASSWORD --ready-file "$work/port" >"$work/server.log" 2>&1 &
pid=$!

for _ in $(seq 100); do
	[ -s "$work/port" ] && break
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "test-server: the independent server did not start:" >&2
		cat "$work/server.log" >&2
		exit 1
	fi
	sleep 0.1
done
[ -s "$work/port" ] || { echo "test-server: the independent server did not start in 10 s" >&2; exit 1; }

pkgs="./smtpclient/ ./cmd/stamp-send/"
# The tests that must run: every Test function whose name matches -run Independent.
# shellcheck disable=SC2086
want=$(for d in $pkgs; do cat "$d"*_test.go; done | sed -n -E 's/^func (Test[A-Za-z0-9_]*Independent[A-Za-z0-9_]*)\(t \*testing\.T\).*/\1/p' | sort -u)
[ -n "$want" ] || { echo "test-server: FAIL: no Test…Independent… functions found in $pkgs" >&2; exit 1; }

mkdir -p test-output
log=test-output/test-server.log
status=0
# shellcheck disable=SC2086
STAMP_INDEPENDENT_SMTP=127.0.0.1:$(cat "$work/port") \
STAMP_INDEPENDENT_CA=$work/cert.pem \
STAMP_INDEPENDENT_SPOOL=$work/spool \
	go test -count=1 -v -run Independent "$@" $pkgs >"$log" 2>&1 || status=$?
grep -E '^(ok|FAIL|---)|^\s+--- (FAIL|SKIP)' "$log" || true
if [ "$status" -eq 0 ]; then
	for t in $want; do
		grep -q -E "^--- PASS: $t \(" "$log" || {
			echo "test-server: FAIL: $t did not run and pass (see $log)" >&2
			status=1
		}
	done
	if grep -E -- '--- SKIP' "$log" >&2; then
		echo "test-server: FAIL: tests were skipped: the independent server's environment did not reach them (see $log)" >&2
		status=1
	fi
fi
if [ "$status" -ne 0 ]; then
	echo "test-server: independent server log:" >&2
	cat "$work/server.log" >&2
	exit "$status"
fi
echo "test-server: $(wc -w <<<"$want") tests ran and passed against the independent server: $(echo $want)"
