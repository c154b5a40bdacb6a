#!/usr/bin/env bash
# window-test-mailto.sh BINARY — the mailto: scenario of the window test
# (issue 20), run by scripts/window-test-inner.sh inside its Xvfb, D-Bus
# session and window manager, with a data folder of its own:
#
#   1. a first Stamp opens; a second start with a mailto: link (and an
#      attach= field that must be ignored) and a file hands both over and
#      exits 0, and no second window opens;
#   2. the first Stamp's composer holds the link's message with the file
#      attached (its autosaved draft says so; a screenshot shows it);
#   3. Ctrl+Enter sends it to the sandbox: the envelope and the message
#      (read back with Python's email package) are the link's, the file is
#      attached and /etc/passwd is not;
#   4. a file handed over alone to the now empty composer is attached.
set -euo pipefail
bin=$(realpath "$1") # absolute: the second start runs in another folder
out=test-output/window
log=$out/stamp-mailto.log
fail() { echo "window-test: mailto: FAIL: $*" >&2; [ -f "$log" ] && tail -20 "$log" >&2; exit 1; }
shot() { import -window root "$out/$1.png"; echo "window-test: screenshot $out/$1.png"; }

tmp=$(mktemp -d)
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_CACHE_HOME=$tmp/cache
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
# Send goes through the outbox: with no undo delay it leaves at once (the
# undo delay has its own scenario in window-test-inner.sh).
mkdir -p "$XDG_CONFIG_HOME/fyne/app.stampmail.stamp"
echo '{"outbox.undoDelay":0}' >"$XDG_CONFIG_HOME/fyne/app.stampmail.stamp/preferences.json"
inbox=$XDG_DATA_HOME/Stamp/Sandbox
drafts=$XDG_DATA_HOME/Stamp/Drafts
draft=$drafts/current.json # each composer has its own draft file: found below by its content
app=
cleanup() { [ -n "$app" ] && kill -9 "$app" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
: >"$log"

"$bin" >>"$log" 2>&1 &
app=$!
wid=$(timeout 10 xdotool search --sync --onlyvisible --name '^Stamp$' | head -1) || fail "no window named Stamp within 10 s"

minutes=$tmp/minutes.txt
printf 'Minutes of the meeting\n' >"$minutes"
link='mailto:ann@example.com,bob@example.com?cc=carol@example.com&subject=From%20a%20link%20%E2%9C%89&body=Hello%20from%20a%20link.%0D%0ASecond+line.&attach=/etc/passwd'
second=$(cd "$tmp" && timeout 20 "$bin" "$link" minutes.txt 2>&1) || fail "the second start failed: $second"
[[ $second == *"already running"*"open the new message with the file attached"* ]] || fail "the second start said: $second"
[ "$(xdotool search --onlyvisible --name '^Stamp$' | wc -l)" -eq 1 ] || fail "a second Stamp window opened"
echo "window-test: mailto: the second start handed the link and a file over and exited: $second"

# The form autosaves 2 s after a change: its draft is what the window holds.
for _ in $(seq 1 100); do
  found=$(grep -l 'From a link' "$drafts"/*.json 2>/dev/null | head -1 || true)
  [ -n "$found" ] && { draft=$found; break; }
  sleep 0.1
done
sleep 0.5 # the frame after the hand-over, for the screenshot
shot mailto-composer
python3 - "$draft" "$minutes" <<'PY' || fail "the composer does not hold the link's message: $(cat "$draft" 2>/dev/null)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["to"] == "ann@example.com, bob@example.com", d
assert d["cc"] == "carol@example.com", d
assert d["subject"] == "From a link \u2709", d
assert d["body"] == "Hello from a link.\nSecond+line.", d
assert d["attachments"] == [sys.argv[2]], d
PY
echo "window-test: mailto: the running Stamp shows the link's message with the file attached (test-output/window/mailto-composer.png)"

xdotool windowactivate --sync "$wid" 2>/dev/null || xdotool windowfocus --sync "$wid"
xdotool key ctrl+Return
for _ in $(seq 1 100); do ls "$inbox"/*.json >/dev/null 2>&1 && break; sleep 0.1; done
env_file=$(ls "$inbox"/*.json 2>/dev/null | head -1) || true
[ -n "$env_file" ] || { shot mailto-send-failed; fail "the sandbox received nothing within 10 s of Ctrl+Enter"; }
sleep 1 # the panel shows the outcome
shot mailto-sent
python3 - "$env_file" "${env_file%.json}.eml" <<'PY' || fail "the sandbox received the wrong message"
import email, email.policy, json, sys
env = json.load(open(sys.argv[1]))
rcpt = json.dumps(env)
for r in ("ann@example.com", "bob@example.com", "carol@example.com"):
    assert r in rcpt, (r, env)
m = email.message_from_binary_file(open(sys.argv[2], "rb"), policy=email.policy.default)
assert str(m["subject"]) == "From a link \u2709", m["subject"]
assert "ann@example.com" in str(m["to"]) and "carol@example.com" in str(m["cc"]), (m["to"], m["cc"])
assert "Hello from a link.\nSecond+line." in m.get_body(("plain",)).get_content().replace("\r\n", "\n")
names = [p.get_filename() for p in m.iter_attachments()]
assert names == ["minutes.txt"], names
assert b"root:" not in open(sys.argv[2], "rb").read()
PY
echo "window-test: mailto: the link's message reached the sandbox with the file attached and without /etc/passwd"

# After the send the form is empty: a file handed over alone is attached at once.
notes=$tmp/notes.txt
printf 'notes\n' >"$notes"
second=$(timeout 20 "$bin" "$notes" 2>&1) || fail "the file hand-over failed: $second"
for _ in $(seq 1 100); do grep -q 'notes.txt' "$draft" 2>/dev/null && break; sleep 0.1; done
grep -q "\"$notes\"" "$draft" 2>/dev/null || { shot mailto-file-failed; fail "the handed-over file was not attached: $(cat "$draft" 2>/dev/null)"; }
echo "window-test: mailto: a file handed over alone was attached"

wmctrl -c Stamp
for _ in $(seq 1 100); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$app" 2>/dev/null; then
  # the draft with the file makes Stamp ask: save it
  xdotool key Tab space
  for _ in $(seq 1 100); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
fi
kill -0 "$app" 2>/dev/null && fail "Stamp did not exit after its window was closed"
status=0; wait "$app" || status=$?; app=
[ "$status" -eq 0 ] || fail "Stamp exited with status $status"
echo "window-test: mailto: done"
