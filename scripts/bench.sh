#!/usr/bin/env bash
# bench.sh — every benchmark of docs/performance.md in one run (make bench):
#   1. compose alone: a 100 MiB attachment written to io.Discard (Go benchmark);
#   2. smtpclient alone: the DATA state machine, 200 recipients at 20 ms
#      with PIPELINING and lock-step (Go benchmarks);
#   3. stamp-send against curl and msmtp, and the raw TCP/TLS floor
#      (scripts/bench-send.sh);
#   4. the desktop app under Xvfb (scripts/bench-gui.sh).
# Installs what it needs from Debian's packages first (scripts/deps.sh
# build test bench). The report goes to stdout and to
# test-output/bench/report.md. BENCH_RUNS (default 5) sets the runs per case;
# BENCH_SKIP_GUI=1 skips the window; STAMP_SEND_BEFORE=path/to/stamp-send
# adds an earlier build's --attach row to the send tables (before/after in
# the same runs). Benchmarks measure; nothing here fails
# on a slow result, only on a broken one.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build test bench
out=test-output/bench
mkdir -p "$out"
exec > >(tee "$out/report.md")

echo "# Stamp benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "- machine: $(nproc) CPUs, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
echo "- $(go version | cut -d' ' -f3), $(curl --version | head -1 | cut -d' ' -f1-2,5), $(msmtp --version | head -1)"
echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "## compose: a 100 MiB attachment to io.Discard"
echo
echo '```'
go test -run '^$' -bench 'WriteAttachment100MiB|EncodeLines' -benchmem -count 3 ./compose/ | grep -E '^Benchmark'
echo '```'
echo
echo "## smtpclient: DATA stream and 200 recipients at a 20 ms round trip"
echo
echo '```'
go test -run '^$' -bench 'DataStream' -benchmem -count 2 ./smtpclient/ | grep -E '^Benchmark'
go test -run '^$' -bench 'Recipients' -benchtime 3x -count 2 ./smtpclient/ | grep -E '^Benchmark'
echo '```'
echo
echo "## stamp-send, curl, msmtp; the raw floor"
scripts/bench-send.sh
if [ -z "${BENCH_SKIP_GUI:-}" ]; then
	echo
	echo "## The desktop app under Xvfb (software GL), BENCH_RUNS launches, sends without and with the frame log"
	echo
	go build -o bin/stamp ./cmd/stamp
	go build -o bin/stamp-send ./cmd/stamp-send
	# Its notes (where the gaps over 50 ms were) go into the report too.
	scripts/bench-gui.sh bin/stamp bin/stamp-send 2> >(grep -v 'dbus-daemon\|fd limit')
fi
echo
echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
