package smtpclient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net"
	"strings"
	"testing"
	"time"
)

// hostileText holds what a server could use to act on a terminal or a
// window instead of being read: a screen clear, an OSC title with its BEL,
// a CR that returns to the start of the line, a right-to-left override, a
// zero-width space and bytes that are not UTF-8. (No LF: in a reply line it
// would end the line; the AUTH and certificate tests carry LF.)
const hostileText = "\x1b[2J\x1b]0;pwned\x07 \rfake \u202egnp.exe\u200b \xff\xfe"

// assertPrintable fails when s holds a character Printable would escape.
func assertPrintable(t *testing.T, where, s string) {
	t.Helper()
	if p := Printable(s); p != s {
		t.Errorf("%s holds raw control, bidi or non-UTF-8 text: %q", where, s)
	}
}

// assertReplyPrintable checks every line of r.
func assertReplyPrintable(t *testing.T, where string, r *Reply) {
	t.Helper()
	if r == nil {
		return
	}
	assertPrintable(t, where+" enhanced code", r.Enhanced)
	for _, l := range r.Lines {
		assertPrintable(t, where+" line", l)
	}
}

// assertEventsPrintable checks every text every event hands out.
func assertEventsPrintable(t *testing.T, events []Event) {
	t.Helper()
	if len(events) == 0 {
		t.Fatal("no events")
	}
	for _, ev := range events {
		assertPrintable(t, "event "+ev.Kind.String()+" text", ev.Text)
		assertReplyPrintable(t, "event reply", ev.Reply)
		if ev.Err != nil {
			assertPrintable(t, "event error", ev.Err.Message)
			assertPrintable(t, "event error's Explain", ev.Err.Explain())
		}
	}
}

// assertResultPrintable checks a Result's server texts, and its JSON for
// the escapes json.Marshal would write for raw controls and bad UTF-8.
func assertResultPrintable(t *testing.T, res *Result) {
	t.Helper()
	for _, r := range res.Recipients {
		assertReplyPrintable(t, "recipient "+r.Address, r.Reply)
	}
	assertReplyPrintable(t, "final reply", res.Final)
	if c := res.Capabilities; c != nil {
		assertPrintable(t, "greeting", c.Greeting)
		for k, v := range c.Extensions {
			assertPrintable(t, "extension", k+" "+v)
		}
	}
	if res.TLS != nil {
		assertPrintable(t, "certificate subject", res.TLS.Subject)
		assertPrintable(t, "certificate issuer", res.TLS.Issuer)
	}
	j, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{`\u001b`, `\u0007`, `\r`, `\ufffd`, "\u202e", "\u200b"} {
		if strings.Contains(string(j), bad) {
			t.Errorf("the Result's JSON holds %q: %s", bad, j)
		}
	}
}

func TestHostileServerTextIsPrintableAndTheCodeStillDecides(t *testing.T) {
	for _, tc := range []struct {
		name   string
		script func(c *scripted)
		check  func(t *testing.T, res *Result, err error)
	}{
		{"every reply of a successful send carries escapes; one recipient refused", func(c *scripted) {
			c.send("220 script.test " + hostileText)
			c.expect("EHLO ")
			c.send("250-script.test "+hostileText, "250-X-"+hostileText+" "+hostileText, "250-PIPELINING", "250 ENHANCEDSTATUSCODES")
			c.expect("MAIL")
			c.expect("RCPT")
			c.expect("RCPT")
			c.send("250 2.1.0 "+hostileText, "250 2.1.5 "+hostileText, "550 5.1.1 "+hostileText)
			c.expect("DATA")
			c.send("354 " + hostileText)
			c.readData()
			c.send("250 2.0.0 " + hostileText + " queued as HOSTILE1")
			c.expect("QUIT")
			c.send("221 " + hostileText)
		}, func(t *testing.T, res *Result, err error) {
			if err != nil || !res.Sent || res.QueueID != "HOSTILE1" {
				t.Fatalf("sent %v, queue id %q, err %v", res.Sent, res.QueueID, err)
			}
			if r := res.Recipients[1]; r.Accepted || r.Reply.Code != 550 || r.Reply.Enhanced != "5.1.1" {
				t.Errorf("refused recipient = %+v", r)
			}
			if res.Final.Code != 250 || res.Final.Enhanced != "2.0.0" || !res.Capabilities.Pipelining || !res.Capabilities.EnhancedStatusCodes {
				t.Errorf("final %+v, capabilities %+v", res.Final, res.Capabilities)
			}
		}},
		{"a refused greeting", func(c *scripted) {
			c.send("554 5.7.1 " + hostileText)
			c.waitClose()
		}, func(t *testing.T, res *Result, err error) {
			var e *Error
			if !errors.As(err, &e) || e.Step != StepGreeting || e.Code != 554 || e.EnhancedCode != "5.7.1" {
				t.Fatalf("err = %v", err)
			}
		}},
		{"a malformed reply line", func(c *scripted) {
			c.send("220 ok")
			c.expect("EHLO ")
			c.send("25x " + hostileText)
			c.waitClose()
		}, func(t *testing.T, res *Result, err error) {
			var e *Error
			if !errors.As(err, &e) || e.Kind != ErrorProtocol || !strings.Contains(e.Message, `\x1b[2J`) {
				t.Fatalf("err = %v", err)
			}
		}},
		{"a final reply refusing the message", func(c *scripted) {
			c.ehloOK("PIPELINING")
			c.expect("MAIL")
			c.expect("RCPT")
			c.expect("RCPT")
			c.send("250 ok", "250 ok", "250 ok")
			c.expect("DATA")
			c.send("354 go")
			c.readData()
			c.send("554-5.7.1 " + hostileText)
			c.send("554 5.7.1 " + hostileText)
			c.waitClose()
		}, func(t *testing.T, res *Result, err error) {
			var e *Error
			if !errors.As(err, &e) || e.Step != StepMessage || e.Code != 554 || res.Sent || res.Final == nil || len(res.Final.Lines) != 2 {
				t.Fatalf("err = %v, result %+v", err, res)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := scriptServer(t, tc.script)
			cfg.ContinueOnRejected = true
			var rec recorder
			res, err := Send(context.Background(), cfg, Envelope{From: "a@b.test", To: []string{"c@d.test", "e@f.test"}}, testMessage("hostile", "x"), rec.on)
			tc.check(t, res, err)
			assertEventsPrintable(t, rec.all())
			assertResultPrintable(t, res)
			var e *Error
			if errors.As(err, &e) {
				assertPrintable(t, "error", e.Error())
				assertPrintable(t, "error's Explain", e.Explain())
			}
			if strings.Contains(rec.transcript(), "\n<- fake") {
				t.Errorf("a CR forged a line:\n%s", rec.transcript())
			}
		})
	}
}

func TestAnOAuthErrorCannotForgeTranscriptLines(t *testing.T) {
	for _, mech := range []AuthMechanism{AuthXOAUTH2, AuthOAuthBearer} {
		t.Run(string(mech), func(t *testing.T) {
			status := "401\n<- 250 2.0.0 fake line \x1b[31m\r\u202e"
			challenge, _ := json.Marshal(map[string]string{"status": status, "scope": "x\n<- 235 fake\x07"})
			cfg := scriptServer(t, func(c *scripted) {
				c.ehloOK("AUTH " + string(mech))
				c.expect("AUTH " + string(mech))
				c.send("334 " + base64.StdEncoding.EncodeToString(challenge))
				c.expect("")
				c.send("535 5.7.8 no")
				c.waitClose()
			})
			cfg.Username, cfg.OAuth2Token, cfg.Auth = testUser, testToken, mech
			var rec recorder
			_, err := Probe(context.Background(), cfg, rec.on)
			var e *Error
			if !errors.As(err, &e) || e.Code != 535 {
				t.Fatalf("err = %v", err)
			}
			assertEventsPrintable(t, rec.all())
			tr := rec.transcript()
			if !strings.Contains(tr, "error from the server: status 401") {
				t.Errorf("the OAuth error is not shown:\n%s", tr)
			}
			for _, l := range strings.Split(tr, "\n") {
				if strings.HasPrefix(l, "<- 250 2.0.0 fake") || strings.HasPrefix(l, "<- 235") {
					t.Errorf("the server forged a line %q:\n%s", l, tr)
				}
			}
		})
	}
}

func TestCertificateNamesAreShownPrintable(t *testing.T) {
	ca := newTestCA(t)
	now := time.Now()
	name := pkix.Name{CommonName: "evil\x1b[2J\u202e.example\n<- 250 fake", Organization: []string{"org\x07\r"}}
	t.Run("a trusted certificate's subject in the TLS note and the Result", func(t *testing.T) {
		cert := ca.leafWith(t, nil, now.Add(-time.Hour), now.Add(time.Hour), false, func(c *x509.Certificate) { c.Subject = name })
		cfg := implicitTLSScript(t, &tls.Config{Certificates: []tls.Certificate{cert}}, nil, func(c *scripted) {
			c.expect("QUIT")
			c.send("221 bye")
		})
		cfg.CAPEM = ca.pem
		var rec recorder
		caps, err := Probe(context.Background(), cfg, rec.on)
		if err != nil {
			t.Fatalf("Probe: %v\n%s", err, rec.transcript())
		}
		assertEventsPrintable(t, rec.all())
		assertPrintable(t, "subject", caps.TLS.Subject)
		if !strings.Contains(caps.TLS.Subject, `evil\x1b[2J\u202e.example\x0a`) {
			t.Errorf("subject = %q", caps.TLS.Subject)
		}
	})
	t.Run("a certificate for other names: the x509 error lists them", func(t *testing.T) {
		cert := ca.leafWith(t, []string{"evil\x1b[2J\x07.example"}, now.Add(-time.Hour), now.Add(time.Hour), false, func(c *x509.Certificate) { c.Subject = name })
		cfg := implicitTLSScript(t, &tls.Config{Certificates: []tls.Certificate{cert}}, nil, nil)
		cfg.CAPEM = ca.pem
		addr := cfg.Address()
		cfg.Host = "mail.example.test"
		cfg.Dialer = func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		}
		var rec recorder
		_, err := Probe(context.Background(), cfg, rec.on)
		var e *Error
		if !errors.As(err, &e) || e.Kind != ErrorTLS {
			t.Fatalf("err = %v", err)
		}
		if !strings.Contains(e.Message, `evil\x1b[2J\x07.example`) {
			t.Errorf("the error does not name the certificate's names: %q", e.Message)
		}
		assertPrintable(t, "error", e.Error())
		assertEventsPrintable(t, rec.all())
	})
}

// TestASecretEchoedByTheServerIsMaskedEverywhere: a server that repeats
// the password — in a line that is not a reply (quoted in the error, and
// cut at 80 bytes), in a RCPT refusal, in the final reply — gets it masked
// in every event, error and Result, whatever escaping its characters need.
func TestASecretEchoedByTheServerIsMaskedEverywhere(t *testing.T) {
	login := func(c *scripted) {
		c.ehloOK("AUTH PLAIN", "PIPELINING", "ENHANCEDSTATUSCODES")
		c.expect("AUTH PLAIN ")
		c.send("235 2.7.0 ok")
	}
	for _, tc := range []struct {
		name   string
		script func(c *scripted)
	}{
		{"in a line that is not a reply", func(c *scripted) {
			login(c)
			c.expect("MAIL")
			c.send("oops your password is " + testHostileSecret)
			c.waitClose()
		}},
		{"in a line that is not a reply, where the 80-byte cut falls inside it", func(c *scripted) {
			login(c)
			c.expect("MAIL")
			c.send("oops " + strings.Repeat("x", 57) + testHostileSecret + " and more")
			c.waitClose()
		}},
		{"in a RCPT refusal", func(c *scripted) {
			login(c)
			c.expect("MAIL")
			c.expect("RCPT")
			c.send("250 2.1.0 ok", "550 5.1.1 no such user; your password is "+testHostileSecret)
			c.expect("RSET")
			c.send("250 ok")
			c.expect("QUIT")
			c.send("221 bye")
		}},
		{"in the final reply", func(c *scripted) {
			login(c)
			c.expect("MAIL")
			c.expect("RCPT")
			c.send("250 2.1.0 ok", "250 2.1.5 ok")
			c.expect("DATA")
			c.send("354 go")
			c.readData()
			c.send("250-2.0.0 queued, password " + testHostileSecret)
			c.send("250 2.0.0 and again " + base64.StdEncoding.EncodeToString([]byte(testHostileSecret)))
			c.expect("QUIT")
			c.send("221 bye")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := scriptServer(t, tc.script)
			cfg.Username, cfg.Password = testUser, testHostileSecret
			var rec recorder
			res, err := Send(context.Background(), cfg, Envelope{From: "a@b.test", To: []string{"c@d.test"}}, testMessage("echo", "x"), rec.on)
			assertNoSecrets(t, rec.all())
			var e *Error
			if errors.As(err, &e) {
				assertNoSecretInError(t, e)
			}
			j, _ := json.Marshal(res)
			texts := []string{string(j), rec.transcript()}
			for _, r := range res.Recipients {
				if r.Reply != nil {
					texts = append(texts, r.Reply.String())
				}
			}
			if res.Final != nil {
				texts = append(texts, res.Final.String())
			}
			for _, text := range texts {
				// "stamp-test-secret" is the secret's own start: any part
				// of it left by a cut is a leak too.
				if f := leaksIn(text, secretForms(testHostileSecret)); f != "" || strings.Contains(text, "stamp-test-secret") {
					t.Errorf("the secret leaked: %s", text)
				}
			}
			if !strings.Contains(rec.transcript(), Mask) {
				t.Errorf("nothing was masked:\n%s", rec.transcript())
			}
		})
	}
}
