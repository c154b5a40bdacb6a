# Sourced by scripts/window-test-inner.sh (inside Xvfb and dbus-run-session,
# with its helpers fail, shot, type, close_app and $bin, $out, $app).
#
# Automatic setup in the real window (issue 16): Stamp starts with
# --accounts, its discovery pointed at loopback servers (the
# STAMP_TEST_DISCOVER_* variables, test only; served by cmd/stamp's
# TestWindowTestDiscoverFixture: a DNS server and an ISP database stand-in
# over HTTPS with a test CA). Typing an address on example.test must look
# its settings up in that ISP database; the settings and their source
# appear in the window (screenshot accounts-discovered), and Save keeps the
# server that was found.

# Data and settings of their own: no draft of the composer's part (closing
# would ask about it), no account saved before.
export XDG_DATA_HOME=$tmp/data-accounts XDG_CONFIG_HOME=$tmp/config-accounts
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME"

fx=$(mktemp -d)
STAMP_DISCOVER_FIXTURE=$fx bin/discover-fixture.test -test.run '^TestWindowTestDiscoverFixture$' >"$out/discover-fixture.log" 2>&1 &
fixture=$!
stop_fixture() { touch "$fx/stop"; wait "$fixture" 2>/dev/null || true; }
for _ in $(seq 1 900); do
  [ -f "$fx/env" ] && break
  kill -0 "$fixture" 2>/dev/null || break
  sleep 0.2
done
[ -f "$fx/env" ] || fail "the discovery test servers did not start (see $out/discover-fixture.log)"

(. "$fx/env" && exec "$bin" --accounts >>"$out/stamp.log" 2>&1) &
app=$!
acc=$(timeout 10 xdotool search --sync --onlyvisible --name '^Accounts — Stamp$' | head -1) ||
  { stop_fixture; fail "no Accounts window within 10 s of stamp --accounts"; }
xdotool windowactivate --sync "$acc" 2>/dev/null || xdotool windowfocus --sync "$acc"
sleep 1 # the window opens with the keyboard focus in Address
type 'me@example.test'
# Up to 30 s: on a loaded machine the lookup (after the typing pause) can
# take a while; the loop ends as soon as the request is seen.
for _ in $(seq 1 300); do
  grep -q 'ispdb.test.*/v1.1/example.test' "$fx/requests" 2>/dev/null && break
  sleep 0.1
done
grep -q 'ispdb.test.*/v1.1/example.test' "$fx/requests" 2>/dev/null ||
  { shot accounts-no-lookup; stop_fixture; fail "typing me@example.test did not look its settings up in the ISP database"; }
if grep -v 'ispdb.test' "$fx/requests" | grep -q 'me%40example.test\|me@example.test'; then
  stop_fixture; fail "the address reached a lookup other than the domain's own autoconfig server: $(cat "$fx/requests")"
fi
sleep 1.5 # the result is drawn: nothing to poll from outside the window
shot accounts-discovered

# Save (bottom left of the form pane), then the saved account has the
# server found.
eval "$(xdotool getwindowgeometry --shell "$acc")"
xdotool mousemove --window "$acc" $((WIDTH * 28 / 100 + 45)) $((HEIGHT - 25)) click 1
saved=
for _ in $(seq 1 50); do
  saved=$(find "$XDG_CONFIG_HOME" -name accounts.json -exec grep -l 'smtp.example.test' {} + 2>/dev/null || true)
  [ -n "$saved" ] && break
  sleep 0.1
done
[ -n "$saved" ] || { shot accounts-not-saved; stop_fixture; fail "Save did not keep the discovered server smtp.example.test"; }
grep -q '"port": 465' "$saved" || { stop_fixture; fail "the saved account lacks the discovered port 465: $(cat "$saved")"; }
shot accounts-saved
stop_fixture
close_app
rm -rf "$fx" || true
echo "window-test: typing an address looked its settings up (ISP database on loopback), showed them and saved them"

# Sign in from the Accounts window with a real browser (issue 15): cmd/stamp's
# TestWindowTestSignInFixture runs the OpenID provider of oauth/oauthtest on
# 127.0.0.1 and saves an account that signs in with it (in settings of their
# own: a fresh XDG_CONFIG_HOME). Stamp opens the sign-in page with xdg-open;
# the xdg-open first on its PATH here hands the link to the fixture, whose
# headless Chromium logs in on the provider's page and follows the redirect
# to Stamp's loopback listener. The window then shows who is signed in.
# Then the composer sends from that account: its server is the fixture's
# sandbox SMTP server, which takes only an OAuth login with a token the
# provider's introspection calls active; the message it received is parsed
# back, the send panel (with its "Renew sign-in" step) is kept as
# accounts-send-panel, and no token of the sign-in may be in $out.
fx=$(mktemp -d)
mkdir -p "$fx/bin" "$fx/config"
cat >"$fx/bin/xdg-open" <<OPEN
#!/bin/sh
printf '%s' "\$1" >"$fx/url.tmp" && mv "$fx/url.tmp" "$fx/url"
OPEN
chmod +x "$fx/bin/xdg-open"
XDG_CONFIG_HOME=$fx/config STAMP_SIGNIN_FIXTURE=$fx bin/discover-fixture.test -test.run '^TestWindowTestSignInFixture$' >"$out/signin-fixture.log" 2>&1 &
fixture=$!
for _ in $(seq 1 300); do
  [ -f "$fx/ready" ] && break
  kill -0 "$fixture" 2>/dev/null || break
  sleep 0.2
done
[ "$(cat "$fx/ready" 2>/dev/null)" = ok ] || { stop_fixture; fail "the sign-in test provider did not start: $(cat "$fx/ready" 2>/dev/null) (see $out/signin-fixture.log)"; }
(export XDG_CONFIG_HOME=$fx/config PATH=$fx/bin:$PATH && exec "$bin" --accounts >>"$out/stamp.log" 2>&1) &
app=$!
acc=$(timeout 10 xdotool search --sync --onlyvisible --name '^Accounts — Stamp$' | head -1) ||
  { stop_fixture; fail "no Accounts window within 10 s of stamp --accounts"; }
xdotool windowactivate --sync "$acc" 2>/dev/null || xdotool windowfocus --sync "$acc"
sleep 1.5 # the saved account is shown with its sign-in button
shot accounts-sign-in-button
# The sign-in button: the form's third row (Address, Your name, Sign-in).
xdotool mousemove --window "$acc" 450 124 click 1
for _ in $(seq 1 600); do
  [ -f "$fx/browsed" ] && break
  sleep 0.1
done
[ -f "$fx/browsed" ] || { shot accounts-sign-in-no-browser; stop_fixture; fail "the Accounts window's sign-in never opened the browser (xdg-open)"; }
head -1 "$fx/browsed" | grep -q '^ok' || { shot accounts-sign-in-failed; stop_fixture; fail "the browser sign-in failed: $(head -3 "$fx/browsed")"; }
grep -q 'You can close this tab and return to Stamp' "$fx/browsed" ||
  { stop_fixture; fail "the browser did not end on Stamp's page: $(head -5 "$fx/browsed")"; }
sleep 1.5 # the window shows the outcome: nothing to poll from outside
shot accounts-signed-in
echo "window-test: signed in from the Accounts window: Stamp opened the provider's page, a real Chromium logged in and came back to Stamp's loopback listener"

# Then send from the composer (From: that account, the only one saved, so
# the first choice). Its server is the fixture's sandbox, which takes only
# an XOAUTH2/OAUTHBEARER login with a token the provider's introspection
# calls active; the fixture parses each message it receives back into
# $fx/received.
wmctrl -c 'Accounts — Stamp' || true
wid=$(timeout 10 xdotool search --sync --onlyvisible --name '^Stamp$' | head -1) ||
  { stop_fixture; fail "no composer window next to the Accounts window"; }
focus_window
type 'bob@example.net'
xdotool key Tab; type 'Signed in from the window'
xdotool key Tab; type 'Sent with the sign-in, no password.'
xdotool key ctrl+Return
for _ in $(seq 1 200); do
  [ -s "$fx/received" ] && break
  sleep 0.1
done
[ -s "$fx/received" ] || { shot accounts-send-failed; stop_fixture; fail "the sandbox received nothing within 20 s of Ctrl+Enter from the signed-in account"; }
sleep 1 # the panel shows the outcome
shot accounts-send-panel
got=$(head -1 "$fx/received")
for want in 'from=me@example.test' 'to=bob@example.net' 'subject="Signed in from the window"' \
  'body="Sent with the sign-in, no password."' 'user=me@example.test'; do
  case "$got" in *"$want"*) ;; *) stop_fixture; fail "the message the sandbox received lacks $want: $got" ;; esac
done
case "$got" in *oauth-logins=0*) stop_fixture; fail "the sandbox received the message without an OAuth login: $got" ;; esac
# No token in what the window test keeps (logs, screenshots, the fixture's
# own log): every access token a login offered, and the refresh token when
# the keyring held one.
sed '/^$/d' "$fx/tokens" >"$fx/token-list" 2>/dev/null || true
[ -s "$fx/token-list" ] || { stop_fixture; fail "the fixture recorded no token to look for"; }
leaks=$(grep -rlF -f "$fx/token-list" "$out" 2>/dev/null || true)
[ -z "$leaks" ] || { stop_fixture; fail "a token of the sign-in is in $(echo $leaks)"; }
stop_fixture
close_app
rm -rf "$fx" || true
echo "window-test: sent from the composer with the sign-in: the sandbox checked the token with the provider and received the message (parsed back); no token in $out"
