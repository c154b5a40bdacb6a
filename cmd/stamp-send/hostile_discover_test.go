package main

// Regression tests from the adversarial review (ATTACK1 D-A, D-B, D-C,
// S-A): `stamp-send account discover` must print what a hostile autoconfig
// file (served over HTTPS by the domain, or by the ISPDB, or by anyone with
// --allow-http) put in displayName, username and hostname through
// smtpclient.Printable. XML 1.0 forbids most C0 controls, but allows LF and
// CR (as &#10; &#13;), DEL and the C1 controls (&#x9b; is an 8-bit CSI),
// the bidi overrides and zero-width characters.

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"stamp/discover/discovertest"
)

// hostileXML is a config-v1.1.xml whose provider name, user name and the
// second server's host name carry a forged line, a CR, an 8-bit CSI, DEL,
// a right-to-left override and a zero-width space. The first two servers
// are not usable for that (a user name with a line feed is no one's); the
// third is clean, so the file is chosen and every server of it printed.
const hostileXML = `<clientConfig version="1.1"><emailProvider id="example.test">
<displayName>Example&#10;=== FAKE provider line&#13;&#x9b;2J&#x7f;&#x202e;esrever&#x200b;</displayName>
<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>465</port><socketType>SSL</socketType>
<authentication>password-cleartext</authentication><username>ann&#10;FAKE user line&#x202e;&#x9b;</username></outgoingServer>
<outgoingServer type="smtp"><hostname>bad&#x202e;&#10;FAKE host line.example.test</hostname><port>587</port><socketType>STARTTLS</socketType></outgoingServer>
<outgoingServer type="smtp"><hostname>submit.example.test</hostname><port>587</port><socketType>STARTTLS</socketType></outgoingServer>
</emailProvider></clientConfig>`

// forgedLines lists the lines of out that start with what the file hid
// after a line feed.
func forgedLines(out string) []string {
	var bad []string
	for _, l := range strings.Split(out, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "=== FAKE") || strings.HasPrefix(strings.ToUpper(t), "FAKE") {
			bad = append(bad, l)
		}
	}
	return bad
}

func TestDiscoverPrintsAHostileAutoconfigFileShowable(t *testing.T) {
	n, ca := discoverNet(t)
	n.File("autoconfig.example.test", "/mail/config-v1.1.xml", []byte(hostileXML))
	code, out, errs := runDiscover(t, "ann@example.test", "--resolver", n.DNSAddr(), "--ispdb", discovertest.ISPDB, "--ca-file", ca)
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	t.Logf("stdout as a terminal would get it:\n%q", out)
	if !strings.HasPrefix(out, "Settings for ann@example.test: submit.example.test:587") {
		t.Errorf("the server chosen is not the one clean server of the file: %q", strings.SplitN(out, "\n", 2)[0])
	}
	assertShowable(t, "account discover stdout", out, true)
	if bad := forgedLines(out); len(bad) > 0 {
		t.Errorf("a line of the autoconfig file became its own output line: %q", bad)
	}
}

func TestDiscoverJSONHasNoBidiOrC1(t *testing.T) {
	n, ca := discoverNet(t)
	n.File("autoconfig.example.test", "/mail/config-v1.1.xml", []byte(hostileXML))
	code, out, errs := runDiscover(t, "ann@example.test", "--json", "--resolver", n.DNSAddr(), "--ispdb", discovertest.ISPDB, "--ca-file", ca)
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	// The JSON text itself: encoding/json escapes C0 but writes DEL, C1 and
	// U+202E as they are; `stamp-send account discover --json` must run
	// printableJSON like the send path, or a terminal shows them raw.
	assertShowable(t, "account discover --json text", out, true)
	// And the decoded strings, as `stamp-send ... --json | jq -r` prints them.
	var v any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case string:
			assertShowable(t, "decoded "+path, v, false)
		case []any:
			for i, e := range v {
				walk(fmt.Sprintf("%s[%d]", path, i), e)
			}
		case map[string]any:
			for k, e := range v {
				walk(path+"."+k, e)
			}
		}
	}
	walk("", v)
}

// A server that names the message after the password must not get it
// printed: "=== sent to 1 recipient, queue id <password>" and "queue_id" in
// --json (Result.QueueID comes from the clean final reply).
func TestTheQueueIDLineNeverPrintsAnEchoedPassword(t *testing.T) {
	const pw = "Attack1QueuePw9"
	t.Setenv("STAMP_ATTACK_PW", pw)
	addr := scriptedServer(t, smtpScript{
		ehlo:  []string{"250-scripted", "250 AUTH PLAIN"},
		auth:  []string{"235 2.7.0 ok"},
		final: "250 2.0.0 Ok: queued as " + pw,
	})
	for _, mode := range []string{"text", "--json"} {
		args := []string{"--server", addr, "--security", "none", "--from", "a@example.com", "--to", "b@example.com",
			"--body", "hi", "--user", "u", "--password-env", "STAMP_ATTACK_PW", "--auth", "plain", "--timeout", "5s"}
		if mode != "text" {
			args = append(args, mode)
		}
		code, stdout, stderr := runCmd(t, "", args...)
		if code != exitOK {
			t.Fatalf("%s: exit %d\n%s", mode, code, stderr)
		}
		if strings.Contains(stdout+stderr, pw) {
			for _, l := range strings.Split(stderr, "\n") {
				if strings.Contains(l, pw) {
					t.Errorf("%s: the password is printed: %s", mode, l)
				}
			}
		}
	}
}

// Regression check: hostile names in MX and SRV answers from a hostile
// DNS server (--resolver). Go's resolver drops records whose names are not
// domain names, so nothing raw reaches the output.
func TestDiscoverShowsHostileDNSNamesShowable(t *testing.T) {
	n, ca := discoverNet(t)
	n.AddRR("corp.test. 300 IN MX 0 evil\\027[2J\\010FAKE.hoster.test.")
	n.AddRR("_submissions._tcp.corp.test. 300 IN SRV 0 0 465 bad\\027]0;x\\007.corp.test.")
	n.AddRR("_submission._tcp.corp.test. 300 IN SRV 0 0 587 bad\\226\\128\\174rtl.corp.test.")
	code, out, errs := runDiscover(t, "me@corp.test", "--resolver", n.DNSAddr(), "--ispdb", discovertest.ISPDB, "--ca-file", ca, "--timeout", "5s")
	t.Logf("exit %d\n%s\n%s", code, out, errs)
	assertShowable(t, "stdout", out, true)
	assertShowable(t, "stderr", errs, true)
	if bad := forgedLines(out); len(bad) > 0 {
		t.Errorf("forged lines %q", bad)
	}
}

// `account list` and `account show` print a hand-edited settings file
// through Printable ("a settings file may have been edited by hand"), and
// so must their --json forms: DEL, C1 and bidi controls in a label must not
// reach the terminal raw. Validate refuses only line breaks.
func TestAccountJSONPrintsALabelShowable(t *testing.T) {
	e := newAccountEnv(t)
	label := "Work\u202e\u009b2J\x7f\u200b"
	if code, out, errOut := runCmd(t, "", "account", "add", e.name, "--from", "me@example.org", "--server", "smtp.example.org:587",
		"--auth", "none", "--label", label); code != 0 {
		t.Fatalf("add: exit %d\n%s%s", code, out, errOut)
	}
	for _, args := range [][]string{{"account", "list"}, {"account", "show", e.name}, {"account", "list", "--json"}, {"account", "show", e.name, "--json"}} {
		code, out, errOut := runCmd(t, "", args...)
		if code != 0 {
			t.Fatalf("%q: exit %d\n%s", args, code, errOut)
		}
		assertShowable(t, strings.Join(args, " "), out, true)
	}
}

// clipReason (discover/sources.go) cuts a Printable reason near byte 300,
// which must not fall inside a multi-byte character, or the text output
// holds a broken UTF-8 sequence, raw. The reason can quote the server: here
// the name of an autoconfig file's root element, in Chinese (XML allows it).
func TestDiscoverCutsALongReasonOnACharacterBoundary(t *testing.T) {
	for pad := 0; pad < 3; pad++ {
		n, ca := discoverNet(t)
		name := strings.Repeat("a", pad) + strings.Repeat("中", 120)
		n.File("autoconfig.example.test", "/mail/config-v1.1.xml", []byte("<"+name+"/>"))
		_, out, _ := runDiscover(t, "ann@example.test", "--resolver", n.DNSAddr(), "--ispdb", discovertest.ISPDB, "--ca-file", ca, "--timeout", "5s")
		if !utf8.ValidString(out) {
			for _, l := range strings.Split(out, "\n") {
				if !utf8.ValidString(l) {
					t.Errorf("pad %d: a line is not UTF-8: %q", pad, l)
				}
			}
		}
	}
}
