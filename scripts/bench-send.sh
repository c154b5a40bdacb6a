#!/usr/bin/env bash
# bench-send.sh — stamp-send against curl and msmtp (Debian packages), each
# timed as a whole process, sending a message built from a 1, 25 and
# 100 MiB attachment over STARTTLS and over implicit TLS (both with AUTH
# PLAIN) to a loopback sink that takes data at full speed
# (internal/benchsink: DATA read in 1 MiB chunks and counted, not parsed),
# so that the client is what is measured. The raw floor is the same .eml
# over a plain TCP and a plain TLS connection to the same sink program.
# Then 200 recipients over a simulated 20 ms round trip (stamp-sandbox
# --latency).
#
# Rows:
#   stamp-send --attach  encodes the attachment inside the timing (the target)
#   stamp-send --eml     sends the same .eml as curl and msmtp
#   curl, msmtp          the .eml that stamp-send --dry-run wrote
#   raw TCP / raw TLS    the .eml over a bare connection (benchsink -send)
# Each run goes through every tool in a rotated order (alternating runs);
# the table shows the median of BENCH_RUNS runs, the fastest and slowest,
# and ratios of medians from this same run. Wall time is measured around
# /usr/bin/time (bash EPOCHREALTIME, ~1 ms of fork/exec included for every
# tool alike); client CPU (user + system) and peak RSS come from
# /usr/bin/time -v. Every message's byte count is checked at the sink.
#
# Needs: go, curl, msmtp, GNU time, openssl (scripts/deps.sh bench).
# Usage: scripts/bench-send.sh   (BENCH_RUNS=5 BENCH_SIZES="1 25 100",
#        STAMP_SEND=path/to/stamp-send to test another build,
#        STAMP_SEND_BEFORE=path/to/stamp-send for a before/after row)
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in curl msmtp /usr/bin/time openssl; do
	command -v "$tool" >/dev/null || { echo "bench-send: $tool is missing (scripts/deps.sh bench)" >&2; exit 1; }
done
runs=${BENCH_RUNS:-5}
sizes=${BENCH_SIZES:-1 25 100}

work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "${STAMP_SEND:-}" ]; then cp "$STAMP_SEND" "$work/stamp-send"; else go build -o "$work/stamp-send" ./cmd/stamp-send; fi
# STAMP_SEND_BEFORE=path/to/another/stamp-send adds its --attach row (an
# earlier commit's build, say), timed in the same alternating runs.
[ -n "${STAMP_SEND_BEFORE:-}" ] && cp "$STAMP_SEND_BEFORE" "$work/stamp-send-before"
go build -o "$work/benchsink" ./internal/benchsink
go build -o "$work/stamp-sandbox" ./smtpclient/sandbox/cmd/stamp-sandbox

export BENCH_PASSWORD=$(openssl rand -hex 12)
USER_NAME=bench
FROM=bench@example.com
RCPT=rcpt@example.com

# start NAME PROGRAM ARGS...: starts a server that writes its address to
# $work/NAME.addr; sets ADDR and PORT.
start() {
	local name=$1 prog=$2; shift 2
	"$prog" --ready-file "$work/$name.addr" "$@" >"$work/$name.out" 2>&1 &
	pids+=($!)
	for _ in $(seq 100); do [ -s "$work/$name.addr" ] && break; sleep 0.05; done
	[ -s "$work/$name.addr" ] || { echo "bench-send: $name did not start" >&2; cat "$work/$name.out" >&2; exit 1; }
	ADDR=$(cat "$work/$name.addr")
	PORT=${ADDR##*:}
}

# measure CMD...: runs CMD under /usr/bin/time -v (stdin from $STDIN, default
# /dev/null), prints "wall_s rss_kib cpu_s".
measure() {
	local out="$work/time.out" t0 t1
	t0=$EPOCHREALTIME
	if ! /usr/bin/time -v -o "$out" "$@" >"$work/cmd.log" 2>&1 <"${STDIN:-/dev/null}"; then
		echo "bench-send: failed: $*" >&2; cat "$work/cmd.log" >&2; return 1
	fi
	t1=$EPOCHREALTIME
	local rss cpu
	rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out")
	cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {print s}' "$out")
	awk -v a="$t0" -v b="$t1" -v r="$rss" -v c="$cpu" 'BEGIN { printf "%.4f %s %s\n", b - a, r, c }'
}

# check_sink LOG BYTES: the sink's last line must count BYTES (curl and
# msmtp end an .eml that ends in CRLF with one more CRLF: 2 bytes slack).
check_sink() {
	local got
	got=$(tail -1 "$1" | awk '{print $2}')
	if [ -z "$got" ] || [ "$got" -lt "$2" ] || [ "$got" -gt $(($2 + 2)) ]; then
		echo "bench-send: the sink counted '$got' bytes, expected $2 ($(tail -1 "$1"))" >&2
		exit 1
	fi
}

cat >"$work/netrc" <<NETRC
machine 127.0.0.1 login $USER_NAME password $BENCH_PASSWORD
NETRC
chmod 600 "$work/netrc"

msmtprc() { # msmtprc FILE PORT STARTTLS(on|off)
	cat >"$1" <<RC
account bench
host 127.0.0.1
port $2
tls on
tls_starttls $3
tls_trust_file $work/ca.pem
auth plain
user $USER_NAME
password $BENCH_PASSWORD
from $FROM
account default : bench
RC
	chmod 600 "$1"
}

start sink-starttls "$work/benchsink" --security starttls --user "$USER_NAME" --password-env BENCH_PASSWORD \
	--ca-out "$work/ca.pem" --log "$work/sink.log"
ADDR_starttls=$ADDR
msmtprc "$work/msmtprc-starttls" "$PORT" on
start sink-tls "$work/benchsink" --security tls --user "$USER_NAME" --password-env BENCH_PASSWORD \
	--ca-out "$work/ca-tls.pem" --log "$work/sink.log"
ADDR_tls=$ADDR
# Each sink made its own CA; curl, msmtp and stamp-send get the right one.
msmtprc "$work/msmtprc-tls" "$PORT" off
sed -i "s|$work/ca.pem|$work/ca-tls.pem|" "$work/msmtprc-tls"
start raw-tcp "$work/benchsink" --raw --security none --log "$work/raw.log"
ADDR_tcp=$ADDR
start raw-tls "$work/benchsink" --raw --security tls --ca-out "$work/ca-raw.pem" --log "$work/raw.log"
ADDR_rawtls=$ADDR

# run_tool SEC TOOL ATT EML: one timed run; prints the measure line.
run_tool() {
	local sec=$1 tool=$2 att=$3 eml=$4 addr ca url
	if [ "$sec" = starttls ]; then addr=$ADDR_starttls ca=$work/ca.pem url=smtp; else addr=$ADDR_tls ca=$work/ca-tls.pem url=smtps; fi
	local ss=("$work/stamp-send" --server "$addr" --security "$sec" --ca-file "$ca" --user "$USER_NAME"
		--password-env BENCH_PASSWORD --from "$FROM" --to "$RCPT" --quiet)
	case $tool in
	stamp-attach) measure "${ss[@]}" --subject bench --body 'See the attachment.' --attach "$att" ;;
	stamp-before) ss[0]=$work/stamp-send-before
		measure "${ss[@]}" --subject bench --body 'See the attachment.' --attach "$att" ;;
	stamp-eml) measure "${ss[@]}" --eml "$eml" ;;
	curl) measure curl -sS --url "$url://$addr" --ssl-reqd --cacert "$ca" \
		--netrc-file "$work/netrc" --mail-from "$FROM" --mail-rcpt "$RCPT" --upload-file "$eml" ;;
	msmtp) STDIN=$eml measure msmtp -C "$work/msmtprc-$sec" "$RCPT" ;;
	raw-tcp) measure "$work/benchsink" -send "$eml" -addr "$ADDR_tcp" -security none ;;
	raw-tls) measure "$work/benchsink" -send "$eml" -addr "$ADDR_rawtls" -security tls -ca-file "$work/ca-raw.pem" ;;
	esac
}

tools=(stamp-attach stamp-eml curl msmtp raw-tcp raw-tls)
[ -n "${STAMP_SEND_BEFORE:-}" ] && tools+=(stamp-before)
results=$work/results
: >"$results"
for mib in $sizes; do
	att=$work/attachment-$mib.bin
	eml=$work/message-$mib.eml
	head -c $((mib << 20)) /dev/urandom >"$att"
	"$work/stamp-send" --dry-run --from "$FROM" --to "$RCPT" --subject bench --body 'See the attachment.' \
		--attach "$att" --out "$eml" 2>/dev/null
	size=$(stat -c %s "$eml")
	for sec in starttls tls; do
		for ((r = 0; r < runs; r++)); do
			for ((k = 0; k < ${#tools[@]}; k++)); do
				tool=${tools[$(((k + r) % ${#tools[@]}))]}
				line=$(run_tool "$sec" "$tool" "$att" "$eml")
				case $tool in raw-*) check_sink "$work/raw.log" "$size" ;; *) check_sink "$work/sink.log" "$size" ;; esac
				echo "$sec $mib $tool $line" >>"$results"
			done
		done
	done
	rm -f "$att" "$eml"
done

# AWK_STATS: median and insertion sort for mawk (Debian's awk has no asort).
AWK_STATS='
function isort(a, n,   i, j, v) { for (i = 2; i <= n; i++) { v = a[i]; for (j = i - 1; j >= 1 && a[j] > v; j--) a[j + 1] = a[j]; a[j + 1] = v } }
function median(a, n) { isort(a, n); return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }'

# summarise: medians per (security, size, tool), ratios of medians.
summarise() {
	awk -v runs="$runs" -v sizes="$sizes" "$AWK_STATS"'
	{ key = $1 " " $2 " " $3; n[key]++; w[key, n[key]] = $4; r[key, n[key]] = $5; c[key, n[key]] = $6; keys[key] = 1 }
	END {
		for (k in keys) {
			m = n[k]
			for (i = 1; i <= m; i++) { ww[i] = w[k, i]; rr[i] = r[k, i]; cc[i] = c[k, i] }
			MW[k] = median(ww, m); MIN[k] = ww[1]; MAX[k] = ww[m]; MR[k] = median(rr, m); MC[k] = median(cc, m)
		}
		name["stamp-attach"] = "stamp-send --attach"; name["stamp-eml"] = "stamp-send --eml"
		name["curl"] = "curl"; name["msmtp"] = "msmtp"; name["raw-tcp"] = "raw TCP (floor)"; name["raw-tls"] = "raw TLS (floor)"
		name["stamp-before"] = "stamp-send --attach, STAMP_SEND_BEFORE build"
		no = split("stamp-attach stamp-before stamp-eml curl msmtp raw-tcp raw-tls", order, " ")
		split("starttls tls", secs, " ")
		ns = split(sizes, szs, " ")
		for (s = 1; s <= 2; s++) {
			printf "\n%s + AUTH PLAIN, median of %d runs\n\n", secs[s] == "tls" ? "Implicit TLS" : "STARTTLS", runs
			print "| message | tool | wall (s) | min–max (s) | / curl | / TLS floor | / TCP floor | client CPU (s) | peak RSS (MiB) |"
			print "|---|---|---:|---:|---:|---:|---:|---:|---:|"
			for (z = 1; z <= ns; z++) {
				for (o = 1; o <= no; o++) {
					k = secs[s] " " szs[z] " " order[o]
					if (!(k in MW)) continue
					cu = MW[secs[s] " " szs[z] " curl"]; fl = MW[secs[s] " " szs[z] " raw-tls"]; ft = MW[secs[s] " " szs[z] " raw-tcp"]
					printf "| %d MiB | %s | %.3f | %.3f–%.3f | %.2f | %.2f | %.2f | %.3f | %.1f |\n", szs[z], name[order[o]], MW[k], MIN[k], MAX[k], MW[k] / cu, MW[k] / fl, MW[k] / ft, MC[k], MR[k] / 1024
				}
			}
		}
	}' "$results"
}
summarise
[ -n "${BENCH_RAW:-}" ] && cp "$results" "$BENCH_RAW"

# 200 recipients over a simulated 20 ms round trip: stamp-sandbox delays
# every byte it sends by 20 ms (go-smtp server; STARTTLS + AUTH PLAIN).
start latency "$work/stamp-sandbox" --security starttls --user "$USER_NAME" --password-env BENCH_PASSWORD \
	--discard --ca-out "$work/ca-lat.pem" --latency 20ms
msmtprc "$work/msmtprc-lat" "$PORT" on
sed -i "s|$work/ca.pem|$work/ca-lat.pem|" "$work/msmtprc-lat"
rcpts=() curl_rcpts=()
for i in $(seq -w 1 200); do rcpts+=("r$i@example.com"); curl_rcpts+=(--mail-rcpt "r$i@example.com"); done
small=$work/small.eml
printf 'From: %s\r\nTo: undisclosed-recipients:;\r\nSubject: 200 recipients\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\nMessage-ID: <bench@example.com>\r\n\r\nhello\r\n' "$FROM" >"$small"
to=$(IFS=,; echo "${rcpts[*]}")
: >"$work/rcpt.results"
for ((r = 0; r < runs; r++)); do
	echo "stamp-send $(measure "$work/stamp-send" --eml "$small" --server "$ADDR" --security starttls --ca-file "$work/ca-lat.pem" \
		--user "$USER_NAME" --password-env BENCH_PASSWORD --from "$FROM" --to "$to" --quiet)" >>"$work/rcpt.results"
	echo "msmtp $(STDIN=$small measure msmtp -C "$work/msmtprc-lat" "${rcpts[@]}")" >>"$work/rcpt.results"
	if [ "$r" -lt 2 ]; then # curl sends one RCPT per round trip: two runs are enough
		echo "curl $(measure curl -sS --url "smtp://$ADDR" --ssl-reqd --cacert "$work/ca-lat.pem" \
			--netrc-file "$work/netrc" --mail-from "$FROM" "${curl_rcpts[@]}" --upload-file "$small")" >>"$work/rcpt.results"
	fi
done
echo
echo "200 recipients, 20 ms simulated round trip, STARTTLS + AUTH (stamp-sandbox --latency 20ms), median"
echo
echo "| tool | runs | wall (s) | min–max (s) | peak RSS (MiB) |"
echo "|---|---:|---:|---:|---:|"
for t in stamp-send msmtp curl; do
	awk -v t="$t" "$AWK_STATS"'
	$1 == t { n++; w[n] = $2; r[n] = $3 }
	END { mw = median(w, n); mr = median(r, n); label = t == "curl" ? "curl (no PIPELINING)" : t
	      printf "| %s | %d | %.3f | %.3f–%.3f | %.1f |\n", label, n, mw, w[1], w[n], mr / 1024 }' "$work/rcpt.results"
done
