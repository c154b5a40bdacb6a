#!/usr/bin/env bash
# Runs inside xvfb-run + dbus-run-session; see window-test.sh.
set -euo pipefail
bin=$1
out=test-output/window
fail() { echo "window-test: FAIL: $*" >&2; [ -f "$out/stamp.log" ] && tail -20 "$out/stamp.log" >&2; exit 1; }
shot() { import -window root "$out/$1.png"; echo "window-test: screenshot $out/$1.png"; }
for cmd in xdotool xclip wmctrl openbox import xprop; do
  command -v "$cmd" >/dev/null 2>&1 || fail "$cmd is missing: run scripts/deps.sh test (make test does)"
done

# A throw-away home: no saved account, no draft, nothing of the developer's,
# so Stamp starts with its sandbox server selected.
tmp=$(mktemp -d)
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_CACHE_HOME=$tmp/cache
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
# Send goes through the outbox; an undo delay of 0 (Message › Undo send
# delay…: Off) makes it leave at once, as the checks below time it.
mkdir -p "$XDG_CONFIG_HOME/fyne/app.stampmail.stamp"
echo '{"outbox.undoDelay":0}' >"$XDG_CONFIG_HOME/fyne/app.stampmail.stamp/preferences.json"
export LIBGL_ALWAYS_SOFTWARE=1
inbox=$XDG_DATA_HOME/Stamp/Sandbox

openbox >/dev/null 2>&1 &
wm=$!
cleanup() { kill "$wm" 2>/dev/null || true; [ -n "${app:-}" ] && kill -9 "$app" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

# The file named on the command line is attached ("Open with Stamp").
attachment=$tmp/report-2026.pdf
head -c 300000 /dev/urandom >"$attachment"

# close_app: close every window the way a window manager does; the composer
# is the master window, so closing it must end the app with status 0.
close_app() {
  local others=0
  for w in $(xdotool search --name 'Stamp$' 2>/dev/null); do
    xdotool getwindowname "$w" | grep -q '^Stamp$' || { wmctrl -i -c "$w" || true; others=$((others + 1)); }
  done
  # wait for the other windows (send panel, mailboxes) to go first
  for _ in $(seq 1 50); do
    [ "$(xdotool search --name 'Stamp$' 2>/dev/null | wc -l)" -le 1 ] && break
    sleep 0.1
  done
  wmctrl -c Stamp
  for _ in $(seq 1 100); do
    kill -0 "$app" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$app" 2>/dev/null; then shot close-failed; fail "the app did not exit within 10 s after its window was closed"; fi
  status=0; wait "$app" || status=$?
  app=
  [ "$status" -eq 0 ] || fail "the app exited with status $status after its window was closed"
  echo "window-test: window closed, app exited cleanly"
}

# focus_window: give the composer the keyboard focus and wait until it has it.
focus_window() {
  xdotool windowactivate --sync "$wid" 2>/dev/null || xdotool windowfocus --sync "$wid"
  for _ in $(seq 1 50); do
    [ "$(xdotool getwindowfocus 2>/dev/null)" = "$wid" ] && return
    sleep 0.1
  done
  fail "the Stamp window did not get the keyboard focus within 5 s"
}

# start_app ARGS...: start Stamp and wait for its window and its focus.
start_app() {
  "$bin" "$@" >>"$out/stamp.log" 2>&1 &
  app=$!
  wid=$(timeout 10 xdotool search --sync --onlyvisible --name '^Stamp$' | head -1) ||
    fail "no window named Stamp within 10 s"
  focus_window
}
type() { xdotool type --delay 15 -- "$1"; }
# click_body: put the keyboard focus in the message body (the window's
# right edge at 55 % of its height), where field_text then reads it.
click_body() {
  eval "$(xdotool getwindowgeometry --shell "$wid")"
  xdotool mousemove $((X + WIDTH - 25)) $((Y + HEIGHT * 55 / 100)) click 1
  sleep 0.2
}

# field_text: the text of the field that has the keyboard focus, read the
# way a person would check it: select all, copy (Ctrl+A, Ctrl+C) and read
# the X clipboard. The clipboard holds a sentinel first, so a copy that did
# nothing cannot pass for an older one. Leaves the cursor at the end of the
# field with nothing selected.
field_text() {
  local t=window-test-sentinel
  # xclip stays in the background to serve the sentinel: not on our stdout
  printf '%s' "$t" | xclip -selection clipboard -i >/dev/null 2>&1
  xdotool key ctrl+a ctrl+c
  for _ in $(seq 1 50); do
    t=$(xclip -selection clipboard -o 2>/dev/null) || t=
    [ "$t" != window-test-sentinel ] && break
    sleep 0.1
  done
  xdotool key Right ctrl+End
  [ "$t" = window-test-sentinel ] && t=
  printf '%s' "$t"
}
# expect_body WHAT TEXT...: the focused field (the body, where Stamp puts
# the focus when To and Subject are filled in) holds every TEXT.
expect_body() {
  local what=$1 got slug
  shift
  slug=$(printf '%s' "$what" | tr -cs 'a-z0-9' -)
  got=$(field_text)
  printf '%s\n' "$got" >"$out/body-$slug.txt"
  for want in "$@"; do
    case "$got" in
      *"$want"*) ;;
      *) shot "body-$slug-wrong"; fail "$what: the message body in the window does not contain '$want' (it holds: '${got:0:200}')" ;;
    esac
  done
}
: >"$out/stamp.log"

# STAMP_WINDOW_TEST_PART=accounts runs only the Accounts window's part.
if [ "${STAMP_WINDOW_TEST_PART:-}" = accounts ]; then
  . scripts/window-test-accounts.sh
  exit 0
fi

start=$(date +%s.%N)
"$bin" "$attachment" >>"$out/stamp.log" 2>&1 &
app=$!

wid=$(timeout 10 xdotool search --sync --onlyvisible --name '^Stamp$' | head -1) ||
  fail "no window named Stamp within 10 s"
shown=$(date +%s.%N)
awk -v w="$wid" -v a="$start" -v b="$shown" 'BEGIN { printf "window-test: window %s appeared after %.2f s\n", w, b - a }'

# _NET_WM_ICON is width, height, then ARGB pixels. Stamp's icon is 512×512
# with the white envelope at (200,250); Fyne's default icon is neither.
icon=$(xprop -len 2000000 -id "$wid" -notype 32c _NET_WM_ICON | sed 's/^_NET_WM_ICON = //')
awk -F', ' '{ exit !($1 == 512 && $2 == 512 && $(3 + 250*512 + 200) == 4294967295) }' <<<"$icon" ||
  fail "the window does not carry Stamp's own 512×512 icon"

sleep 1.5 # let the first frames render before the screenshot
shot composer-empty

# Type a message the way a person does: the keyboard focus starts in To;
# Ctrl+Shift+B shows Cc and Bcc; Tab follows the form; Ctrl+Enter sends.
focus_window
type 'Ann <ann@example.com>'
xdotool key ctrl+shift+b
sleep 0.3 # Cc and Bcc appear (nothing outside the window to poll; a lost keystroke fails the envelope check below)
xdotool key Tab; type 'bob@example.com'
xdotool key Tab; type 'carol@example.com'
xdotool key Tab; type 'Window test'
xdotool key Tab; type 'Hello from the window test. The report is attached.'
sleep 0.5 # for the screenshot only
shot composer-filled
xdotool key ctrl+Return

# The sandbox keeps each message it receives as .eml + .json (envelope).
for _ in $(seq 1 100); do
  ls "$inbox"/*.json >/dev/null 2>&1 && break
  sleep 0.1
done
env_file=$(ls "$inbox"/*.json 2>/dev/null | head -1) || true
[ -n "$env_file" ] || { shot send-failed; fail "the sandbox received nothing within 10 s of Ctrl+Enter"; }
sleep 1 # the panel shows the outcome
shot send-panel
eml=${env_file%.json}.eml
for r in ann@example.com bob@example.com carol@example.com; do
  grep -q "\"$r\"" "$env_file" || fail "$r is not in the envelope the sandbox received: $(cat "$env_file")"
done
if grep -qi '^bcc:' "$eml" || grep -q 'carol@example.com' "$eml"; then
  fail "the Bcc recipient is visible in the received message"
fi
grep -q 'filename\*\?=.*report-2026.pdf' "$eml" || grep -q 'report-2026.pdf' "$eml" ||
  fail "the attachment is not in the received message"
echo "window-test: the sandbox received the message for To, Cc and Bcc, with no Bcc header"

close_app
rm -f "$inbox"/*

# 1b. Completion: the send above taught the contacts its recipients. Two
# letters in To open the list (screenshot), Down chooses the first row (nothing
# is chosen before: Enter alone keeps what was typed), Enter accepts it, and
# the field holds it, read back through the clipboard.
start_app
type 'bo'
sleep 0.7 # the list is drawn in the window: nothing outside it to poll; the field check below fails if it never came
shot completion-list
xdotool key Down Return
got=$(field_text)
[ "$got" = "bob@example.com, " ] || { shot completion-wrong; fail "typing 'bo', Down and Enter in To gave '$got', not the learned bob@example.com"; }
echo "window-test: two letters in To suggested bob@example.com, chosen with Down, accepted with Enter (test-output/window/completion-list.png)"
kill -9 "$app"; wait "$app" 2>/dev/null || true; app=
rm -rf "$XDG_DATA_HOME/Stamp/Drafts" # the next part starts from an empty form

# 2. A 100 MiB attachment (143 MB on the wire, about a second to the
# sandbox): the composer keeps taking keystrokes while it is sent (the form
# clears once the message is in the outbox; what is typed during the send is
# kept as a new draft, which proves the UI goroutine was free), and
# screenshots show the panel mid-send.
big=$tmp/holiday-video.bin
head -c $((100 << 20)) /dev/urandom >"$big"
start_app "$big"
type 'ann@example.com'
xdotool key Tab Tab # Cc and Bcc: still shown, Stamp remembers that choice
xdotool key Tab; type 'A hundred megabytes'
xdotool key Tab; type 'The video is attached.'
xdotool key ctrl+Return
# The panel opens a frame or two after Send and takes the focus, as a new
# window does: click into the composer once it is there (into the right
# edge of its body: the panel covers the rest), then type.
timeout 10 xdotool search --sync --onlyvisible --name '^Sending ' >/dev/null ||
  { shot no-panel; fail "no send panel within 10 s of Ctrl+Enter"; }
eval "$(xdotool getwindowgeometry --shell "$wid")"
xdotool mousemove $((X + WIDTH - 25)) $((Y + HEIGHT * 55 / 100)) click 1
type ' PS: typed during the send.'
ls "$inbox"/*.json >/dev/null 2>&1 &&
  fail "the message arrived before the test had finished typing: it cannot tell whether the composer took keystrokes during the send"
mid=0
for i in $(seq 1 200); do
  if ls "$inbox"/*.json >/dev/null 2>&1; then break; fi
  import -window root "$out/big-send-$i.png"
  if ls "$inbox"/*.json >/dev/null 2>&1; then
    rm -f "$out/big-send-$i.png"
  else
    mid=$((mid + 1))
  fi
done
ls "$inbox"/*.json >/dev/null 2>&1 || fail "the 100 MiB message did not arrive within the test's time"
[ "$mid" -ge 1 ] || fail "no screenshot was taken while the 100 MiB message was being sent"
sleep 1 # for the screenshot only: the panel shows the outcome
shot big-send-end
grep -q '"size": 14[0-9]\{7\}' "${inbox}"/*.json || fail "the sandbox did not receive a ~143 MB message: $(cat "$inbox"/*.json)"
echo "window-test: 100 MiB sent; typed into the composer meanwhile; $mid screenshots taken during the send (test-output/window/big-send-*.png)"
# Each composer keeps its draft in a file of its own in the drafts folder.
drafts=$XDG_DATA_HOME/Stamp/Drafts
in_draft() { grep -qs -- "$1" "$drafts"/*.json; }
for _ in $(seq 1 50); do in_draft 'typed during the send' && break; sleep 0.1; done
in_draft 'typed during the send' ||
  fail "text typed into the composer during the send was not kept (the window did not respond, or the edit was lost)"
echo "window-test: the composer kept taking keystrokes during the send"

# 3. kill -9: the autosaved draft (here the text typed during the send) comes
# back into the form on the next start, and so does what is typed after
# that. The check reads the restored body out of the window (field_text):
# if restoring broke, the focus would be in an empty To and the copy would
# not hold the body's text.
kill -9 "$app"; wait "$app" 2>/dev/null || true; app=
start_app
click_body # Send cleared To and Subject: the focus starts in To
expect_body "after kill -9" 'typed during the send'
shot draft-restored
type ' Survives a crash.'
# The autosave runs 2 s after the last keystroke: wait for it on disk.
for _ in $(seq 1 100); do in_draft 'Survives a crash' && break; sleep 0.1; done
in_draft 'Survives a crash' || fail "text typed into the body was not autosaved within 10 s"
kill -9 "$app"; wait "$app" 2>/dev/null || true; app=
start_app
click_body
expect_body "after a second kill -9" 'typed during the send' 'Survives a crash.'
echo "window-test: the form came back after kill -9, twice, with the body as typed (checked through the window's clipboard)"

# Closing with unsent text asks; Tab + space picks the first choice, Save draft.
wmctrl -c Stamp
sleep 0.7 # the dialog is drawn inside the window: nothing to poll; if Tab+space comes too early the app does not exit and the test fails
shot close-asks
xdotool key Tab space
for _ in $(seq 1 100); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
kill -0 "$app" 2>/dev/null && { shot close-failed; fail "Save draft in the close dialog did not close the app"; }
status=0; wait "$app" || status=$?; app=
[ "$status" -eq 0 ] || fail "the app exited with status $status after Save draft"
in_draft 'Survives a crash' || fail "Save draft on close lost the draft"
echo "window-test: closing with unsent text asked, saved the draft and exited cleanly"

# 4. Several messages at once: Ctrl+N opens a second composer, each keeps a
# draft of its own, and after kill -9 both come back, one window each.
# Without saved preferences Cc and Bcc are hidden: Tab goes To → Subject → body.
rm -f "$drafts"/*.json
find "$XDG_CONFIG_HOME" -name preferences.json -delete
stamp_windows() { xdotool search --onlyvisible --name '^Stamp$' 2>/dev/null | sort; }
# wait_windows N: wait until N composer windows are shown.
wait_windows() {
  for _ in $(seq 1 100); do [ "$(stamp_windows | wc -l)" -eq "$1" ] && return; sleep 0.1; done
  shot "windows-not-$1"; fail "$(stamp_windows | wc -l) composer windows are shown, want $1"
}
start_app
wait_windows 1
first=$wid
type 'ann@example.com'; xdotool key Tab; type 'First window'; xdotool key Tab; type 'Body of the first.'
xdotool key ctrl+n
wait_windows 2
wid=$(stamp_windows | grep -vx "$first" | head -1)
focus_window
type 'bob@example.com'; xdotool key Tab; type 'Second window'; xdotool key Tab; type 'Body of the second.'
for _ in $(seq 1 100); do in_draft 'Body of the first.' && in_draft 'Body of the second.' && break; sleep 0.1; done
[ "$(grep -ls 'Body of the' "$drafts"/*.json | wc -l)" -eq 2 ] ||
  { shot two-composers-unsaved; fail "the two composers did not autosave two drafts within 10 s: $(ls "$drafts")"; }
sleep 0.5 # for the screenshot only
shot two-composers
kill -9 "$app"; wait "$app" 2>/dev/null || true; app=
"$bin" >>"$out/stamp.log" 2>&1 &
app=$!
wait_windows 2
sleep 1 # for the screenshot only
shot two-composers-restored
# Each window shows one of the two bodies (the focus is in the body, To and
# Subject being filled in), read out of the window.
bodies=
for w in $(stamp_windows); do
  wid=$w
  focus_window
  bodies+="[$(field_text)]"
done
case "$bodies" in
  "[Body of the first.][Body of the second.]" | "[Body of the second.][Body of the first.]") ;;
  *) fail "after kill -9 with two composers open, the windows hold $bodies; want each draft back in a window of its own" ;;
esac
echo "window-test: Ctrl+N opened a second composer; after kill -9 both drafts came back, one window each"
# The Window menu lists both; its first item, then its second, brings each
# composer to the front (fyne/test checks the labels). pick_window N: open
# the Window menu of the active composer, choose item N, report the window
# that becomes active.
pick_window() {
  local active
  active=$(xdotool getactivewindow)
  xdotool mousemove --window "$active" 120 14 click 1
  sleep 0.5 # the menu is drawn inside the window: nothing to poll
  [ "$1" = 1 ] && shot window-menu >&2
  xdotool mousemove --window "$active" 140 $((6 + 39 * $1)) click 1
  for _ in $(seq 1 30); do
    active=$(xdotool getactivewindow)
    [ -n "$(stamp_windows | grep -x "$active")" ] && [ "$active" != "$2" ] && break
    sleep 0.1
  done
  printf '%s' "$active"
}
one=$(pick_window 1 none)
two=$(pick_window 2 "$one")
if [ "$one" = "$two" ] || ! stamp_windows | grep -qx "$one" || ! stamp_windows | grep -qx "$two"; then
  shot window-menu-failed; fail "choosing the composers in the Window menu did not bring each to the front ($one, $two)"
fi
echo "window-test: the Window menu lists both composers and brings the chosen one to the front"
wid=$two

# Quit (Ctrl+Q) asks once about both and keeps both drafts.
xdotool key ctrl+q
sleep 0.7 # the question is drawn inside the window: nothing to poll
shot quit-asks
xdotool key Tab Tab space
for _ in $(seq 1 100); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
kill -0 "$app" 2>/dev/null && { shot quit-failed; fail "Keep drafts and quit did not end the app"; }
status=0; wait "$app" || status=$?; app=
[ "$status" -eq 0 ] || fail "the app exited with status $status after Quit"
[ "$(grep -ls 'Body of the' "$drafts"/*.json | wc -l)" -eq 2 ] || fail "Quit did not keep both drafts: $(ls "$drafts")"
echo "window-test: Quit asked once, kept both drafts and exited cleanly"

# 5. The outbox with two composers: Send waits out the undo delay in the
# outbox (15 s here), the waiting count shows in both windows' titles, and
# a kill -9 during the delay loses nothing: the next start sends it.
rm -f "$drafts"/*.json "$inbox"/*
mkdir -p "$XDG_CONFIG_HOME/fyne/app.stampmail.stamp"
echo '{"outbox.undoDelay":15}' >"$XDG_CONFIG_HOME/fyne/app.stampmail.stamp/preferences.json"
waiting() { xdotool search --onlyvisible --name '^Stamp — 1 waiting$' 2>/dev/null | wc -l; }
start_app
type 'ann@example.com'; xdotool key Tab; type 'Queued'; xdotool key Tab; type 'Waits in the outbox.'
xdotool key ctrl+Return
for _ in $(seq 1 50); do [ "$(waiting)" -ge 1 ] && break; sleep 0.1; done
[ "$(waiting)" -eq 1 ] || { shot outbox-not-waiting; fail "after Send with an undo delay the title does not say 1 waiting"; }
xdotool key ctrl+n
for _ in $(seq 1 50); do [ "$(waiting)" -eq 2 ] && break; sleep 0.1; done
[ "$(waiting)" -eq 2 ] || { shot outbox-count-missing; fail "the second composer's title does not show the waiting message"; }
ls "$inbox"/*.json >/dev/null 2>&1 && fail "the message left during its undo delay"
ls "$XDG_DATA_HOME"/Stamp/Outbox/*.eml >/dev/null 2>&1 || fail "the queued message is not in the outbox folder"
sleep 0.5 # for the screenshot only: the undo bar in the first, the count in both
shot outbox-two-composers
kill -9 "$app"; wait "$app" 2>/dev/null || true; app=
# The next start: its window is titled "Stamp — 1 waiting" until the
# message has left.
"$bin" >>"$out/stamp.log" 2>&1 &
app=$!
timeout 10 xdotool search --sync --onlyvisible --name '^Stamp' >/dev/null || fail "no Stamp window within 10 s of the restart"
for _ in $(seq 1 300); do ls "$inbox"/*.json >/dev/null 2>&1 && break; sleep 0.1; done
ls "$inbox"/*.json >/dev/null 2>&1 || { shot outbox-not-sent; fail "the message queued before kill -9 was not sent within 30 s of the next start"; }
grep -q 'ann@example.com' "$inbox"/*.json || fail "the sandbox received the queued message for the wrong recipient"
for _ in $(seq 1 50); do ls "$XDG_DATA_HOME"/Stamp/Outbox/*.eml >/dev/null 2>&1 || break; sleep 0.1; done
ls "$XDG_DATA_HOME"/Stamp/Outbox/*.eml >/dev/null 2>&1 && fail "the sent message stayed in the outbox"
for _ in $(seq 1 50); do xdotool search --onlyvisible --name '^Stamp$' >/dev/null 2>&1 && break; sleep 0.1; done
close_app
echo "window-test: Send waited in the outbox with its count in both composers; after kill -9 the next start sent it"

. scripts/window-test-accounts.sh

# 5. mailto: links and files handed to a running Stamp (issue 20): a
# scenario of its own, with its own data folder (scripts/window-test-mailto.sh).
bash scripts/window-test-mailto.sh "$bin"
