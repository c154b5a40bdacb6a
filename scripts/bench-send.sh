#!/usr/bin/env bash
# Compares stamp-send with curl and msmtp (Debian packages) sending the same
# .eml over STARTTLS + AUTH PLAIN to a loopback sandbox server
# (smtpclient/sandbox/cmd/stamp-sandbox, which discards message bytes and
# keeps only digests, so the server costs little). Reports wall time and
# peak RSS from /usr/bin/time -v for 1, 25 and 100 MiB, then 200
# recipients over a simulated 20 ms round trip. Prints Markdown rows for
# docs/performance.md. One run per case: wall times are indicative.
#
# Needs: go, curl, msmtp, time (GNU), openssl. Usage: scripts/bench-send.sh
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in curl msmtp /usr/bin/time; do
	command -v "$tool" >/dev/null || { echo "bench-send: $tool is missing (apt-get install curl msmtp time)" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# STAMP_SEND may name a binary built elsewhere (e.g. from a clean checkout).
if [ -n "${STAMP_SEND:-}" ]; then cp "$STAMP_SEND" "$work/stamp-send"; else go build -o "$work/stamp-send" ./cmd/stamp-send; fi
go build -o "$work/stamp-sandbox" ./smtpclient/sandbox/cmd/stamp-sandbox

export BENCH_PASSWORD=$(openssl rand -hex 12)
USER_NAME=bench

# start_sandbox NAME [flags...]: starts a sandbox, sets ADDR and PORT.
start_sandbox() {
	local name=$1; shift
	"$work/stamp-sandbox" --security starttls --user "$USER_NAME" --password-env BENCH_PASSWORD \
		--discard --ca-out "$work/ca.pem" --ready-file "$work/$name.addr" "$@" >"$work/$name.log" 2>&1 &
	pids+=($!)
	for _ in $(seq 100); do [ -s "$work/$name.addr" ] && break; sleep 0.1; done
	ADDR=$(cat "$work/$name.addr")
	PORT=${ADDR##*:}
}

# make_eml MIB: a message with a base64 attachment of about MIB MiB.
make_eml() {
	local f="$work/msg-$1.eml"
	{
		printf 'From: bench@example.com\r\nTo: rcpt@example.com\r\nSubject: bench %s MiB\r\nMIME-Version: 1.0\r\n' "$1"
		printf 'Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n'
		head -c $(( $1 * 1024 * 1024 * 3 / 4 )) /dev/urandom | base64 -w 76 | sed 's/$/\r/'
	} >"$f"
	echo "$f"
}

# measure CMD...: runs CMD under /usr/bin/time -v, prints "wall_s rss_kib cpu_s"
# (cpu = user + system time of the client alone).
measure() {
	local out="$work/time.$RANDOM"
	if ! /usr/bin/time -v -o "$out" "$@" >"$work/cmd.log" 2>&1 </dev/null; then
		echo "bench-send: failed: $*" >&2; cat "$work/cmd.log" >&2; return 1
	fi
	local wall rss cpu
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$out")
	rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out")
	cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {print s}' "$out")
	echo "$wall $rss $cpu"
}

cat >"$work/netrc" <<NETRC
machine 127.0.0.1 login $USER_NAME password $BENCH_PASSWORD
NETRC
chmod 600 "$work/netrc"

msmtprc() { # msmtprc PORT
	cat >"$work/msmtprc" <<RC
account bench
host 127.0.0.1
port $1
tls on
tls_starttls on
tls_trust_file $work/ca.pem
auth plain
user $USER_NAME
password $BENCH_PASSWORD
from bench@example.com
account default : bench
RC
	chmod 600 "$work/msmtprc"
}

start_sandbox size
msmtprc "$PORT"
echo "| message | tool | wall (s) | wall / curl | client CPU (s) | peak RSS (MiB) |"
echo "|---|---|---:|---:|---:|---:|"
for mib in 1 25 100; do
	eml=$(make_eml "$mib")
	read -r cw cr cc < <(measure curl -sS --url "smtp://127.0.0.1:$PORT" --ssl-reqd --cacert "$work/ca.pem" \
		--netrc-file "$work/netrc" --mail-from bench@example.com --mail-rcpt rcpt@example.com --upload-file "$eml")
	read -r mw mr mc < <(measure sh -c "exec msmtp -C '$work/msmtprc' rcpt@example.com <'$eml'")
	read -r sw sr sc < <(measure "$work/stamp-send" --eml "$eml" --server "$ADDR" --security starttls --ca-file "$work/ca.pem" \
		--user "$USER_NAME" --password-env BENCH_PASSWORD --from bench@example.com --to rcpt@example.com --quiet)
	for row in "stamp-send $sw $sr $sc" "curl $cw $cr $cc" "msmtp $mw $mr $mc"; do
		set -- $row
		awk -v m="$mib" -v t="$1" -v w="$2" -v r="$3" -v u="$4" -v c="$cw" \
			'BEGIN { printf "| %d MiB | %s | %.2f | %.2f | %.2f | %.1f |\n", m, t, w, (c > 0 ? w/c : 0), u, r/1024 }'
	done
	rm -f "$eml"
done

start_sandbox latency --latency 20ms
msmtprc "$PORT"
rcpts=()
curl_rcpts=()
for i in $(seq -w 1 200); do rcpts+=("r$i@example.com"); curl_rcpts+=(--mail-rcpt "r$i@example.com"); done
small=$(make_eml 0)
printf 'hello\r\n' >>"$small"
to=$(IFS=,; echo "${rcpts[*]}")
read -r sw sr sc < <(measure "$work/stamp-send" --eml "$small" --server "$ADDR" --security starttls --ca-file "$work/ca.pem" \
	--user "$USER_NAME" --password-env BENCH_PASSWORD --from bench@example.com --to "$to" --quiet)
read -r cw cr cc < <(measure curl -sS --url "smtp://127.0.0.1:$PORT" --ssl-reqd --cacert "$work/ca.pem" \
	--netrc-file "$work/netrc" --mail-from bench@example.com "${curl_rcpts[@]}" --upload-file "$small")
read -r mw mr mc < <(measure sh -c "exec msmtp -C '$work/msmtprc' ${rcpts[*]} <'$small'")
echo
echo "| 200 recipients, 20 ms round trip | wall (s) | peak RSS (MiB) |"
echo "|---|---:|---:|"
for row in "stamp-send $sw $sr" "curl $cw $cr" "msmtp $mw $mr"; do
	set -- $row
	awk -v t="$1" -v w="$2" -v r="$3" 'BEGIN { printf "| %s | %.2f | %.1f |\n", t, w, r/1024 }'
done
