#!/usr/bin/env bash
# Runs inside xvfb-run + dbus-run-session; see bench-gui.sh.
set -euo pipefail
bin=$1 ss=$2 sink=$3 work=$4
stamp=$bin floor=$work/floor
runs=${BENCH_RUNS:-5}
sends=${BENCH_GUI_SENDS:-2}
mib=${BENCH_GUI_MIB:-100}
# BENCH_GUI_NO_SENT=1: the account keeps no Sent copy (default: it keeps one).
hz=$(getconf CLK_TCK)

export LIBGL_ALWAYS_SOFTWARE=1
export XDG_RUNTIME_DIR=$work/runtime STAMP_CONFIG_DIR=$work/stamp-config
mkdir -p "$XDG_RUNTIME_DIR" "$STAMP_CONFIG_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

# The keyring keeps its files apart from the per-run profiles below.
HOME=$work/keyring-home XDG_DATA_HOME=$work/keyring-data bash -c \
	'mkdir -p "$HOME" "$XDG_DATA_HOME"; printf bench-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null'
openbox >/dev/null 2>&1 &
wm=$!
app= sinkpid=
cleanup() {
	[ -n "$app" ] && kill -9 "$app" 2>/dev/null || true
	[ -n "$sinkpid" ] && kill "$sinkpid" 2>/dev/null || true
	kill "$wm" 2>/dev/null || true
	rm -rf "$work" # made by bench-gui.sh, which exec'd into xvfb-run
}
trap cleanup EXIT

export BENCH_PASSWORD=$(openssl rand -hex 12)
"$sink" --security starttls --user bench --password-env BENCH_PASSWORD --ca-out "$work/gui-ca.pem" \
	--ready-file "$work/gui-sink.addr" --log "$work/gui-sink.log" >"$work/gui-sink.out" 2>&1 &
sinkpid=$!
for _ in $(seq 100); do [ -s "$work/gui-sink.addr" ] && break; sleep 0.05; done
addr=$(cat "$work/gui-sink.addr")
: >"$work/gui-sink.log"
printf '%s' "$BENCH_PASSWORD" | HOME=$work/keyring-home "$ss" account add bench --from 'Bench <bench@example.com>' \
	--server "$addr" --security starttls --user bench --ca-file "$work/gui-ca.pem" --default \
	${BENCH_GUI_NO_SENT:+--no-sent-copy} --password-stdin >/dev/null

# profile: a fresh home, settings and data folder for each start (no draft,
# no remembered Cc/Bcc), the saved account and keyring kept.
profile() {
	rm -rf "$work/p"
	export HOME=$work/p/home XDG_CONFIG_HOME=$work/p/config XDG_DATA_HOME=$work/p/data XDG_CACHE_HOME=$work/p/cache
	mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
}
visible() { xdotool search --onlyvisible --name '^Stamp$' 2>/dev/null | head -1; }
# launch ARGS...: starts the app, sets app, wid and t0 (launch time), and
# waits for a visible window named Stamp, polling every 10 ms.
launch() {
	t0=$EPOCHREALTIME
	"$bin" "$@" >>"$work/stamp.log" 2>&1 &
	app=$!
	wid=
	for _ in $(seq 2000); do
		wid=$(visible) && [ -n "$wid" ] && break
		sleep 0.01
	done
	t1=$EPOCHREALTIME
	[ -n "$wid" ] || { echo "bench-gui: no window within 20 s" >&2; tail "$work/stamp.log" >&2; exit 1; }
}
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
quit_app() {
	wmctrl -c Stamp 2>/dev/null || true
	for _ in $(seq 50); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
	kill -9 "$app" 2>/dev/null || true
	wait "$app" 2>/dev/null || true
	app=
}
AWK_STATS='
function isort(a, n,   i, j, v) { for (i = 2; i <= n; i++) { v = a[i]; for (j = i - 1; j >= 1 && a[j] > v; j--) a[j + 1] = a[j]; a[j + 1] = v } }
function median(a, n) { isort(a, n); return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }'

# 1. Launch, idle: Stamp and, alternately, the floor (the smallest Fyne
# window, see bench-gui.sh), the same way.
: >"$work/launch.stamp"
: >"$work/launch.floor"
for ((r = 0; r < 2 * runs; r++)); do
	profile
	what=stamp
	if [ $((r % 2)) -eq 1 ]; then what=floor; bin=$floor; else bin=$stamp; fi
	launch
	sleep 5
	rss=$(rss_kib "$app")
	anon=$(awk '/^RssAnon/ {print $2}' "/proc/$app/status")
	gl=$(awk '/^[0-9a-f]+-/ { f = $6 } /^Rss:/ && f ~ /(libLLVM|_dri\.so|libGL|libgallium)/ { s += $2 } END { print s + 0 }' "/proc/$app/smaps")
	c0=$(cpu_ticks "$app")
	sleep 5
	c1=$(cpu_ticks "$app")
	echo "$t0 $t1 $rss $c0 $c1 $anon $gl" | awk -v hz="$hz" '{ printf "%.3f %.1f %.2f %.1f %.1f\n", $2 - $1, $3 / 1024, ($5 - $4) / hz / 5 * 100, $6 / 1024, $7 / 1024 }' >>"$work/launch.$what"
	quit_app
done
bin=$stamp
echo "| app | launch to visible window (s) | idle RSS after 5 s (MiB) | of which anonymous | of which GL driver libraries | idle CPU over the next 5 s (% of a core) |"
echo "|---|---|---|---:|---:|---:|"
for what in stamp floor; do
	awk -v what="$what" "$AWK_STATS"'{ n++; v[n] = $1; r[n] = $2; c[n] = $3; an[n] = $4; g[n] = $5; lv = lv sep $1; lr = lr sep $2; sep = ", " }
		END { printf "| %s | median %.3f (%s) | median %.1f (%s) | %.1f | %.1f | %.1f |\n", (what == "stamp" ? "Stamp" : "floor: smallest Fyne window"), median(v, n), lv, median(r, n), lr, median(an, n), median(g, n), median(c, n) }' "$work/launch.$what"
done

# 2. A 100 MiB attachment sent from the window, without and with the frame log.
att=$work/holiday-video.bin
head -c $((mib << 20)) /dev/urandom >"$att"
echo
echo "| run | frame log | Send → sink has it (s) | app CPU during send (% of a core) | RSS before (MiB) | peak RSS during (MiB) | paints (Send → sink + 1.5 s) | paints/s | longest gap (ms) | gaps > 100 ms | first paint after start (ms) |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for ((r = 0; r < 2 * sends; r++)); do
	profile
	log=-
	if [ $((r % 2)) -eq 1 ]; then log=$work/frames.$r; export STAMP_FRAME_LOG=$log; else unset STAMP_FRAME_LOG; fi
	launch "$att"
	unset STAMP_FRAME_LOG
	xdotool windowactivate --sync "$wid" 2>/dev/null || xdotool windowfocus --sync "$wid"
	sleep 2 # the first frames, the attachment listed
	xdotool type --delay 15 -- 'rcpt@example.com'
	xdotool key Tab; xdotool type --delay 15 -- 'Holiday video'
	xdotool key Tab; xdotool type --delay 15 -- 'Attached.'
	sleep 1
	before=$(wc -l <"$work/gui-sink.log")
	rss0=$(rss_kib "$app")
	if [ "$mib" -gt 17 ]; then
		# Above 25 MB once encoded Stamp asks first; Tab Tab space picks
		# "Send anyway", and the clock starts there.
		xdotool key ctrl+Return
		sleep 1
		ts=$EPOCHREALTIME c0=$(cpu_ticks "$app")
		xdotool key Tab Tab space
	else
		ts=$EPOCHREALTIME c0=$(cpu_ticks "$app")
		xdotool key ctrl+Return
	fi
	peak=$rss0
	for i in $(seq 6000); do
		[ "$(wc -l <"$work/gui-sink.log")" -gt "$before" ] && break
		[ -n "${BENCH_SHOTS:-}" ] && [ "$i" = 60 ] && import -window root "$BENCH_SHOTS/stuck-$r.png"
		v=$(rss_kib "$app"); [ "$v" -gt "$peak" ] && peak=$v
		sleep 0.05
	done
	te=$EPOCHREALTIME
	c1=$(cpu_ticks "$app")
	[ "$(wc -l <"$work/gui-sink.log")" -gt "$before" ] || { echo "bench-gui: the sink got nothing within 5 minutes" >&2; exit 1; }
	sleep 1
	import -window root "$work/send-$r.png" 2>/dev/null || true
	quit_app
	frames="| — | — | — | — | — |"
	if [ "$log" != - ]; then
		# Times in the log are ms since the app's start (≈ t0): keep the
		# paints from Send to 1.5 s after the sink's count (the panel and
		# the composer handle the outcome then).
		frames=$(awk -v a="$(awk -v s="$ts" -v b="$t0" 'BEGIN{print (s-b)*1000}')" -v b="$(awk -v s="$te" -v b="$t0" 'BEGIN{print (s-b)*1000 + 1500}')" '
			NR == 1 { first = $1 }
			$1 >= a && $1 <= b { n++; if ($2 > max) max = $2; if ($2 > 100) over++ }
			END { printf "| %d | %.0f | %.0f | %d | %.0f |", n, n / ((b - a) / 1000), max, over, first }' "$log")
		# Where the gaps over 50 ms were, in ms after Send (to stderr).
		awk -v a="$(awk -v s="$ts" -v b="$t0" 'BEGIN{print (s-b)*1000}')" -v r=$((r + 1)) \
			'$2 > 50 { printf "bench-gui: run %d: no paint for %.0f ms, until %.0f ms after Send\n", r, $2, $1 - a }' "$log" >&2
	fi
	echo "$r $log $ts $te $c0 $c1 $rss0 $peak" | awk -v hz="$hz" -v fr="$frames" '{
		d = $4 - $3; printf "| %d | %s | %.2f | %.0f | %.1f | %.1f %s\n", $1 + 1, ($2 == "-" ? "off" : "on"), d, ($6 - $5) / hz / d * 100, $7 / 1024, $8 / 1024, fr }'
done
tail -$((2 * sends)) "$work/gui-sink.log" | awk '{ print "sink: " $0 }' >&2
