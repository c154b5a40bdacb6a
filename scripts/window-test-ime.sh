#!/usr/bin/env bash
# window-test-ime.sh [BINARY] — Chinese typed through a REAL input method
# reaches Stamp's fields: under Xvfb, for fcitx5 (pinyin, Debian's
# fcitx5-chinese-addons) and then ibus (ibus-libpinyin), the IM daemon runs in
# its own D-Bus session, Stamp starts with XMODIFIERS=@im=fcitx / @im=ibus
# (GLFW reads committed text through XIM), the address is typed with the IM
# off, pinyin is switched on (fcitx5: Ctrl+Space, its trigger key; ibus:
# `ibus engine libpinyin`), and xdotool types pinyin keys as a person does:
# "ceshi" space "youjian" space into Subject, "nihao" space "," "zhongwen"
# space "." into the body. The IM picks the first candidate and commits it;
# Ctrl+Enter sends to the sandbox, and Python's email package must read back
# Subject 测试邮件 and body 你好，中文。 (full-width punctuation: the IM's).
#
# LANG is zh_CN.UTF-8, which most test machines have not generated: then
# Stamp itself must give the C library a UTF-8 character type
# (cmd/stamp/inputlocale_x11.go), or XIM drops every committed character.
# Screenshots with the candidate window (which Fyne's GLFW does not place at
# the cursor) are kept in test-output/window-ime/.
#
# STAMP_TEST_DISPLAY=:NN runs Xvfb on that display number.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-bin/stamp}
[ -x "$bin" ] || { echo "window-test-ime: $bin is not built (run make build)" >&2; exit 1; }
bin=$(realpath "$bin")
if [ -z "${STAMP_IME_INNER:-}" ]; then
  display=(-a)
  if [ -n "${STAMP_TEST_DISPLAY:-}" ]; then display=(-n "${STAMP_TEST_DISPLAY#:}"); fi
  STAMP_IME_INNER=1 exec xvfb-run "${display[@]}" -s "-screen 0 1280x800x24 -nolisten tcp" "$0" "$bin"
fi

for cmd in xdotool xprop import python3 dbus-run-session fcitx5 fcitx5-remote ibus-daemon ibus; do
  command -v "$cmd" >/dev/null || { echo "window-test-ime: $cmd is missing (scripts/deps.sh test)" >&2; exit 1; }
done
out=test-output/window-ime
# Each input method in its own D-Bus session (both answer as IBus there).
if [ -z "${STAMP_IME:-}" ]; then
  mkdir -p "$out"
  rm -f "$out"/*.png "$out"/*.log
  for im in fcitx5 ibus; do
    # The IMs' D-Bus services are chatty on stderr: kept, shown on failure.
    STAMP_IME=$im dbus-run-session -- "$0" "$bin" 2>"$out/stderr-$im.log" ||
      { grep -v -e '^dbus-daemon\[' "$out/stderr-$im.log" >&2; exit 1; }
  done
  echo "window-test-ime: screenshots of the candidate windows in $out/"
  exit 0
fi

subject='测试邮件'
body='你好，中文。'

# One composer with a fresh home, the IM daemon in this D-Bus session.
im=$STAMP_IME
home=$(mktemp -d)
pid= im_pid=
stop() {
  # Stamp first: GLFW 3.3 crashes when its XIM server goes away under it.
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -n "${x11_pid:-}" ]; then kill "$x11_pid" 2>/dev/null || true; wait "$x11_pid" 2>/dev/null || true; fi
  if [ -n "$im_pid" ]; then kill "$im_pid" 2>/dev/null || true; wait "$im_pid" 2>/dev/null || true; fi
  rm -rf "$home"
}
trap stop EXIT
fail() { import -window root "$out/$im-failed.png" 2>/dev/null || true; echo "window-test-ime ($im): $*" >&2; exit 1; }
export HOME=$home XDG_CONFIG_HOME=$home/.config XDG_DATA_HOME=$home/.local/share \
  XDG_CACHE_HOME=$home/.cache XDG_RUNTIME_DIR=$home/run
mkdir -p "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME/fyne/app.stampmail.stamp"
chmod 700 "$XDG_RUNTIME_DIR"
echo '{"outbox.undoDelay":0}' >"$XDG_CONFIG_HOME/fyne/app.stampmail.stamp/preferences.json"
# start_im starts the IM daemon (and, for ibus, its XIM front end once the
# bus answers: `ibus-daemon --xim` starts ibus-x11 at once, and on a
# loaded machine ibus-x11 gave up before the bus was up).
start_im() {
  case $im in
    fcitx5)
      # English keyboard first, pinyin second: Ctrl+Space switches.
      mkdir -p "$XDG_CONFIG_HOME/fcitx5"
      printf '%s\n' '[Groups/0]' 'Name=Default' 'Default Layout=us' 'DefaultIM=pinyin' '' \
        '[Groups/0/Items/0]' 'Name=keyboard-us' 'Layout=' '' '[Groups/0/Items/1]' 'Name=pinyin' 'Layout=' '' \
        '[GroupOrder]' '0=Default' >"$XDG_CONFIG_HOME/fcitx5/profile"
      fcitx5 --disable=wayland,waylandim >>"$out/fcitx5.log" 2>&1 &
      im_pid=$! server=fcitx ;;
    ibus)
      NO_AT_BRIDGE=1 ibus-daemon --replace >>"$out/ibus.log" 2>&1 &
      im_pid=$! server=ibus
      for _ in $(seq 300); do
        ibus list-engine >/dev/null 2>&1 && break
        kill -0 "$im_pid" 2>/dev/null || return 1
        sleep 0.1
      done
      /usr/libexec/ibus-x11 >>"$out/ibus.log" 2>&1 &
      x11_pid=$! ;;
  esac
}

# announced: the IM's XIM server is on the root window within 30 s.
announced() {
  for _ in $(seq 300); do
    xprop -root XIM_SERVERS 2>/dev/null | grep -q "@server=$server" && return 0
    kill -0 "$im_pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# stop_im ends the IM daemon (before another try).
stop_im() {
  for p in ${x11_pid:-} $im_pid; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  x11_pid= im_pid=
}

# GLFW 3.3 opens the XIM connection once, when it starts: the IM's XIM
# server must be announced on the root window before Stamp starts. On a
# loaded machine a daemon sometimes loaded its XIM module and never
# announced the server (seen with fcitx5 and ibus alike): up to three
# starts, each given 30 s.
for try in 1 2 3; do
  start_im && announced && break
  echo "window-test-ime ($im): no XIM server after start $try; starting the IM again" >&2
  stop_im
done
xprop -root XIM_SERVERS 2>/dev/null | grep -q "@server=${server:-none}" || fail "no XIM server @server=${server:-} after three starts (log: $out/$im.log)"

env -u LC_ALL -u LC_CTYPE -u LC_MESSAGES -u LANGUAGE LANG=zh_CN.UTF-8 XMODIFIERS="@im=$server" \
  "$bin" >"$out/stamp-$im.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
  xdotool search --name '^Stamp$' >/dev/null 2>&1 && break
  sleep 0.1
done
[ -n "$(xdotool search --name '^Stamp$' | head -1)" ] || fail "no Stamp window"
sleep 1

# To has the focus at start: the address with the IM off.
xdotool type --delay 15 -- 'ann@example.com'
case $im in
  fcitx5)
    xdotool key ctrl+space
    for _ in $(seq 30); do [ "$(fcitx5-remote -n 2>/dev/null)" = pinyin ] && break; sleep 0.1; done
    [ "$(fcitx5-remote -n 2>/dev/null)" = pinyin ] || fail "Ctrl+Space did not switch fcitx5 to pinyin (it says $(fcitx5-remote -n 2>&1))" ;;
  ibus)
    # ibus-x11 hands keys to the daemon and back asynchronously: switching
    # the engine while the address's last keys are on their way would turn
    # them into pinyin (seen: "ann@exam。"). The IM's own hotkey (Ctrl+Space
    # for fcitx5) is queued behind them; a switch from outside is not.
    sleep 1
    for _ in $(seq 50); do ibus engine libpinyin 2>/dev/null && break; sleep 0.2; done
    [ "$(ibus engine 2>/dev/null)" = libpinyin ] || fail "ibus did not switch to libpinyin (it says $(ibus engine 2>&1))" ;;
esac
pinyin() { xdotool type --delay 60 -- "$1"; sleep 0.4; }
xdotool key Tab
pinyin ceshi; xdotool key space; sleep 0.3
pinyin youjian
import -window root "$out/$im-candidates.png" # the candidate window, with 邮件 first
xdotool key space; sleep 0.3
xdotool key Tab
pinyin nihao; xdotool key space; sleep 0.3
pinyin ','; pinyin zhongwen; xdotool key space; sleep 0.3; pinyin '.'
sleep 0.5
import -window root "$out/$im-composer.png"

inbox=$home/.local/share/Stamp/Sandbox
xdotool key ctrl+Return
for _ in $(seq 100); do
  ls "$inbox"/*.eml >/dev/null 2>&1 && break
  sleep 0.1
done
eml=$(ls "$inbox"/*.eml 2>/dev/null | head -1) || true
[ -n "$eml" ] || fail "the sandbox received nothing within 10 s of Ctrl+Enter (did the IM's text arrive? an empty Subject asks before sending; see $out/$im-*.png)"
got=$(python3 -c 'import sys, email, email.policy
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
print(m["subject"])
print(m.get_body(("plain",)).get_content().strip())' "$eml")
[ "$got" = "$subject"$'\n'"$body" ] || fail "the IM's text did not arrive: the sandbox received subject and body \"$got\" (screenshots: $out/$im-*.png)"
echo "window-test-ime: $im (XIM, LANG=zh_CN.UTF-8): pinyin typed into Subject and body arrived as \"$subject\" / \"$body\""
