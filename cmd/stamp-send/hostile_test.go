package main

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"
)

// Issue 21 §1, review D1: whatever a server says reaches the terminal as
// visible text. Every output path of stamp-send gets a server whose
// replies carry cursor movement, an OSC title, BEL, CR, a bidi override,
// a zero-width space and bytes that are not UTF-8.

// hostile is what the server puts in its replies. A raw CR would put the
// cursor back and "FAKE" would paint over the line; the escapes move up
// and erase a line.
const hostile = "evil\x1b[1A\x1b[2K\x1b]0;x\x07 bell\x07 cr\r=== FAKE: sent to 1 recipient \u202eesrever\u200bzw\xff\xfe end"

// hostileLF is for the one place a server's text can hold a line feed:
// the XOAUTH2 error JSON, decoded from base64.
const hostileLF = hostile + "\n=== FAKE: sent to 1 recipient\n<- 250 FAKE"

// smtpScript is what a scripted server answers; a missing reply is a
// plain 250.
type smtpScript struct {
	greeting string            // the whole greeting line
	ehlo     []string          // EHLO reply lines, without line ends
	starttls string            // reply to STARTTLS
	auth     []string          // replies to AUTH and to each line after it
	rcpt     map[string]string // reply to RCPT TO by address
	final    string            // reply to the end of the data
}

// scriptedServer answers every connection on 127.0.0.1 with script. It is
// small on purpose: no TLS; what matters is what it says.
func scriptedServer(t *testing.T, script smtpScript) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return serveScript(t, ln, script)
}

// serveScript answers every connection on ln with script and returns
// ln's address.
func serveScript(t *testing.T, ln net.Listener, script smtpScript) string {
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				script.serve(c)
			}()
		}
	}()
	return ln.Addr().String()
}

func (s smtpScript) serve(c net.Conn) {
	r := bufio.NewReader(c)
	w := bufio.NewWriter(c)
	say := func(lines ...string) {
		for _, l := range lines {
			w.WriteString(l + "\r\n")
		}
		w.Flush()
	}
	or := func(reply, def string) string {
		if reply == "" {
			return def
		}
		return reply
	}
	say(or(s.greeting, "220 scripted.example ESMTP"))
	authRound := -1
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		verb := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		switch {
		case authRound >= 0:
			authRound++
			if authRound < len(s.auth) {
				say(s.auth[authRound])
			}
			if authRound >= len(s.auth)-1 {
				authRound = -1
			}
		case verb == "EHLO" || verb == "HELO":
			if len(s.ehlo) == 0 {
				say("250 scripted.example")
			} else {
				say(s.ehlo...)
			}
		case verb == "STARTTLS":
			say(or(s.starttls, "454 4.7.0 no TLS here"))
		case verb == "AUTH" && len(s.auth) > 0:
			say(s.auth[0])
			authRound = 0
			if len(s.auth) == 1 {
				authRound = -1
			}
		case verb == "RCPT":
			addr := strings.TrimSuffix(strings.TrimPrefix(line[len("RCPT TO:"):], "<"), ">")
			say(or(s.rcpt[addr], "250 2.1.5 ok"))
		case verb == "DATA":
			say("354 go ahead")
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
			}
			say(or(s.final, "250 2.0.0 ok"))
		case verb == "QUIT":
			say("221 2.0.0 bye")
			return
		default:
			say("250 2.0.0 ok")
		}
	}
}

// assertShowable fails if s holds a character a terminal would act on
// rather than show: C0 controls (but the line feeds stamp-send writes
// between its own lines), DEL, C1 controls, format characters (bidi
// controls, zero-width characters), the line and paragraph separators, or
// bytes that are not UTF-8. It is written out here, not taken from
// smtpclient.Printable, so that it can catch Printable.
func assertShowable(t *testing.T, where, s string, lineFeeds bool) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("%s is not UTF-8: %q", where, s)
		return
	}
	for _, r := range s {
		switch {
		case r == '\n' && lineFeeds:
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f, r == 0x2028, r == 0x2029, unicode.Is(unicode.Cf, r):
			t.Errorf("%s holds a raw %U:\n%q", where, r, s)
			return
		}
	}
}

// assertNoForgedLine fails if a line of out starts with what the server
// hid after a CR or a line feed.
func assertNoForgedLine(t *testing.T, where, out string) {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "=== FAKE") || strings.HasPrefix(l, "<- 250 FAKE") || strings.HasPrefix(l, "FAKE") {
			t.Errorf("%s: a server's line became two; forged line %q", where, l)
		}
	}
}

// assertJSONShowable decodes each line of out as one JSON object and
// checks every string in it, keys and values.
func assertJSONShowable(t *testing.T, where, out string) (last map[string]any) {
	t.Helper()
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case string:
			assertShowable(t, where+" "+path, v, false)
		case []any:
			for i, e := range v {
				walk(fmt.Sprintf("%s[%d]", path, i), e)
			}
		case map[string]any:
			for k, e := range v {
				assertShowable(t, where+" key", k, false)
				walk(path+"."+k, e)
			}
		}
	}
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		var obj map[string]any
		if err := json.Unmarshal([]byte(l), &obj); err != nil {
			t.Errorf("%s: not one JSON object per line: %q: %v", where, l, err)
			continue
		}
		walk("", obj)
		last = obj
	}
	return last
}

func TestHostileServerTextIsShownNotObeyed(t *testing.T) {
	t.Setenv("STAMP_SEND_HOSTILE_PW", "stamp-test-secret-hostile")
	// The error JSON as the server sends it, base64 in a 334: the engine
	// decodes it and puts status and scope in a note.
	xoauthError := base64.StdEncoding.EncodeToString(mustJSON(t, map[string]string{"status": "401 " + hostileLF, "scope": hostile, "schemes": "bearer"}))
	msg := []string{"--from", "a@example.com", "--body", "hello", "--security", "none", "--timeout", "5s"}
	for _, tc := range []struct {
		name   string
		script smtpScript
		args   []string
		code   int
	}{
		{"a greeting, an EHLO, a refused recipient and a final reply, all hostile", smtpScript{
			greeting: "220 " + hostile,
			ehlo:     []string{"250-scripted " + hostile, "250 8BITMIME"},
			rcpt:     map[string]string{"nobody@example.com": "550 5.1.1 " + hostile},
			final:    "250 2.0.0 queued as Q" + hostile,
		}, []string{"--to", "b@example.com,nobody@example.com", "--continue-on-rejected"}, exitPartial},
		{"a refused recipient stops the send", smtpScript{
			rcpt: map[string]string{"nobody@example.com": "550 5.1.1 " + hostile},
		}, []string{"--to", "b@example.com,nobody@example.com"}, exitRefused},
		{"a hostile final refusal", smtpScript{final: "554 5.7.1 " + hostile},
			[]string{"--to", "b@example.com"}, exitRefused},
		{"a hostile 454 to STARTTLS", smtpScript{
			greeting: "220 " + hostile,
			ehlo:     []string{"250-scripted", "250 STARTTLS"},
			starttls: "454 4.7.0 " + hostile,
		}, []string{"--to", "b@example.com", "--security", "starttls"}, exitConnect},
		{"a hostile refusal in the greeting", smtpScript{greeting: "554 5.7.1 " + hostile},
			[]string{"--to", "b@example.com"}, exitConnect},
		{"a hostile XOAUTH2 error with line feeds", smtpScript{
			ehlo: []string{"250-scripted", "250 AUTH XOAUTH2"},
			auth: []string{"334 " + xoauthError, "535 5.7.8 " + hostile},
		}, []string{"--to", "b@example.com", "--user", "u", "--password-env", "STAMP_SEND_HOSTILE_PW", "--auth", "xoauth2"}, exitAuth},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := scriptedServer(t, tc.script)
			base := append(append([]string{"--server", addr}, msg...), tc.args...)
			for _, mode := range []string{"text", "--json", "--quiet"} {
				args := base
				if mode != "text" {
					args = append(append([]string{}, base...), mode)
				}
				code, stdout, stderr := runCmd(t, "", args...)
				where := mode + " output"
				if code != tc.code {
					t.Errorf("%s: exit %d, want %d (the reply code decides)\n%s", mode, code, tc.code, stderr)
				}
				if stdout != "" {
					t.Errorf("%s: stdout %q", mode, stdout)
				}
				assertShowable(t, where, stderr, true)
				assertNoForgedLine(t, where, stderr)
				switch mode {
				case "text":
					// The server's words are there, as visible escapes.
					if !strings.Contains(stderr, `evil\x1b[1A\x1b[2K\x1b]0;x\x07 bell\x07 cr\x0d=== FAKE`) ||
						!strings.Contains(stderr, `\u202eesrever\u200bzw\xff\xfe end`) {
						t.Errorf("the server's text is not shown as escapes:\n%s", stderr)
					}
				case "--json":
					last := assertJSONShowable(t, where, stderr)
					if last["kind"] != "result" || last["exit"] != float64(tc.code) {
						t.Errorf("the last JSON line is %v, want the result with exit %d", last, tc.code)
					}
				case "--quiet":
					if !strings.Contains(stderr, "stamp-send: ") && !strings.Contains(stderr, "=== sent to") {
						t.Errorf("--quiet says nothing about the failure:\n%s", stderr)
					}
				}
				if strings.Contains(stderr, "stamp-test-secret-hostile") {
					t.Errorf("%s: the password is in the output", mode)
				}
			}
		})
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestHostileServerTextInAccountTestAndProbe(t *testing.T) {
	e := newAccountEnv(t)
	works := scriptedServer(t, smtpScript{greeting: "220 " + hostile, ehlo: []string{"250-scripted " + hostile, "250 SIZE 1000"}})
	refuses := scriptedServer(t, smtpScript{greeting: "554 5.7.1 " + hostile})
	for _, a := range []struct{ name, addr string }{{e.name, works}, {e.name + "-refused", refuses}} {
		if code, out, errOut := runCmd(t, "", "account", "add", a.name, "--from", "me@example.org", "--server", a.addr,
			"--security", "none", "--auth", "none"); code != 0 {
			t.Fatalf("add: exit %d\n%s%s", code, out, errOut)
		}
	}
	for _, tc := range []struct {
		name, account, mode string
		code                int
	}{
		{"a test that works", e.name, "text", exitOK},
		{"a test that works, as JSON", e.name, "--json", exitOK},
		{"a test that works, quietly", e.name, "--quiet", exitOK},
		{"a test the server refuses", e.name + "-refused", "text", exitConnect},
		{"a test the server refuses, as JSON", e.name + "-refused", "--json", exitConnect},
		{"a test the server refuses, quietly", e.name + "-refused", "--quiet", exitConnect},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"account", "test", tc.account, "--timeout", "5s"}
			if tc.mode != "text" {
				args = append(args, tc.mode)
			}
			code, stdout, stderr := runCmd(t, "", args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tc.code, stdout, stderr)
			}
			for where, out := range map[string]string{"stdout": stdout, "stderr": stderr} {
				assertShowable(t, where, out, true)
				assertNoForgedLine(t, where, out)
			}
			if tc.mode == "--json" {
				// Events on stderr, then the error (if any) as a line of text.
				var events []string
				for _, l := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
					if strings.HasPrefix(l, "{") {
						events = append(events, l)
					}
				}
				assertJSONShowable(t, "account test --json", strings.Join(events, "\n"))
			}
			if tc.code != exitOK && !strings.Contains(stderr, `evil\x1b[1A`) {
				t.Errorf("the error does not show the server's words as escapes:\n%s", stderr)
			}
		})
	}

	t.Run("add --probe", func(t *testing.T) {
		probed := scriptedServer(t, smtpScript{
			greeting: "220 " + hostile,
			ehlo:     []string{"250-scripted " + hostile, "250 STARTTLS"},
			starttls: "454 4.7.0 " + hostile,
		})
		old := accountDialer
		accountDialer = func(ctx context.Context, network, address string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, probed)
		}
		defer func() { accountDialer = old }()
		code, stdout, stderr := runCmd(t, "", "account", "add", "probed", "--from", "me@example.org", "--probe", "--timeout", "5s")
		if code != exitConnect || !strings.Contains(stderr, "Nothing was saved") {
			t.Errorf("exit %d, want 3\n%s%s", code, stdout, stderr)
		}
		for where, out := range map[string]string{"stdout": stdout, "stderr": stderr} {
			assertShowable(t, where, out, true)
			assertNoForgedLine(t, where, out)
		}
		if !strings.Contains(stderr, `<- 454 4.7.0 evil\x1b[1A`) || !strings.Contains(stderr, `smtp.example.org:587 (starttls): `) {
			t.Errorf("the probe's transcript or summary is missing:\n%s", stderr)
		}
	})
}
