package ui

// Regression tests from the adversarial review (ATTACK1 S-A).

import (
	"bufio"
	"crypto/x509"
	"crypto/x509/pkix"
	"net"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"stamp/smtpclient"
)

// queueServer logs anyone in and answers the message with final.
func queueServer(t *testing.T, final string) smtpclient.Config {
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
			go func() {
				defer conn.Close()
				r := bufio.NewReader(conn)
				say := func(s string) { conn.Write([]byte(s + "\r\n")) }
				say("220 q.example ESMTP")
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					cmd := strings.ToUpper(strings.TrimRight(line, "\r\n"))
					switch {
					case strings.HasPrefix(cmd, "EHLO"):
						say("250-q.example")
						say("250 AUTH PLAIN")
					case strings.HasPrefix(cmd, "AUTH"):
						say("235 2.7.0 ok")
					case cmd == "DATA":
						say("354 go ahead")
						for {
							l, err := r.ReadString('\n')
							if err != nil || l == ".\r\n" {
								break
							}
						}
						say(final)
					case cmd == "QUIT":
						say("221 bye")
						return
					default:
						say("250 ok")
					}
				}
			}()
		}
	}()
	addr := ln.Addr().(*net.TCPAddr)
	return smtpclient.Config{Host: "127.0.0.1", Port: addr.Port, Security: smtpclient.SecurityNone}
}

// The send panel's outcome says "The server queued it as <QueueID>": a
// server that names the message after the password must not get the
// password shown in the window (Result.QueueID comes from the clean reply).
func TestThePanelNeverShowsAnEchoedPasswordAsTheQueueID(t *testing.T) {
	const pw = "Attack1QueuePwGui"
	a := test.NewTempApp(t)
	p := newSendPanel(a)
	finished := make(chan struct{})
	p.OnFinished = func(*smtpclient.Result, error) { close(finished) }
	cfg := queueServer(t, "250 2.0.0 Ok: queued as "+pw)
	cfg.Username, cfg.Password, cfg.Auth = "u", pw, smtpclient.AuthPlain
	p.Start(sendJob{Config: cfg, Envelope: smtpclient.Envelope{From: "me@example.com", To: []string{"ann@example.com"}},
		Message: rawMessage("Subject: hi\r\n\r\nhello\r\n"), Title: "hi", Fields: map[string]string{"ann@example.com": "To"}})
	waitRecv(t, finished, "the send")
	if strings.Contains(p.TranscriptText(), pw) {
		t.Errorf("the transcript shows the password")
	}
	if strings.Contains(p.Outcome.Text, pw) {
		t.Errorf("the outcome shows the password: %q", p.Outcome.Text)
	}
}

// Regression check: the trust dialog's details of a
// certificate whose subject, issuer and names carry escapes, bidi controls
// and a line feed.
func TestTheTrustDialogDetailsOfAHostileCertificateAreShowable(t *testing.T) {
	c := &x509.Certificate{
		Subject:  pkix.Name{CommonName: "evil\x1b]0;x\x07\u202e\n=== FAKE", Organization: []string{"O\u2066\x9b"}},
		Issuer:   pkix.Name{CommonName: "iss\x1b[2J\r"},
		DNSNames: []string{"a\x1b[1A.test", "b\u200b.test"},
	}
	text := describeCertificate(c, strings.Repeat("ab", 32))
	lines := strings.Split(text, "\n")
	if len(lines) != 4 {
		t.Errorf("%d lines, want 4: %q", len(lines), text)
	}
	if r, bad := rawControl(text, true); bad {
		t.Errorf("the details hold a raw %U: %q", r, text)
	}
}
