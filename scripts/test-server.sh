#!/usr/bin/env bash
# Runs Stamp's SMTP client against an independent server from Debian's
# packages: python3-aiosmtpd on 127.0.0.1 with STARTTLS (a certificate made
# here with openssl) and AUTH PLAIN/LOGIN, saving what it receives to a
# spool folder the tests read. The server and its files are removed on exit.
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

STAMP_INDEPENDENT_SMTP=127.0.0.1:$(cat "$work/port") \
STAMP_INDEPENDENT_CA=$work/cert.pem \
STAMP_INDEPENDENT_SPOOL=$work/spool \
	go test -count=1 -run Independent "$@" ./smtpclient/ ./cmd/stamp-send/ || {
	status=$?
	echo "test-server: independent server log:" >&2
	cat "$work/server.log" >&2
	exit "$status"
}
