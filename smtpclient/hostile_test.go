package smtpclient

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"stamp/smtpclient/sandbox"
)

// A first few of issue 9's misbehaving servers; each must end the session
// with a clear error within its deadline.

func TestMisbehavingServers(t *testing.T) {
	for _, tc := range []struct {
		name   string
		script func(c *scripted)
		kind   ErrorKind
		step   Step
	}{
		{"silence instead of a greeting", func(c *scripted) { time.Sleep(2 * time.Second) }, ErrorTimeout, StepGreeting},
		{"a close right after connect", func(c *scripted) {}, ErrorConnection, StepGreeting},
		{"a greeting that never ends", func(c *scripted) {
			for i := 0; i < 2*MaxReplyLines; i++ {
				c.send("220-still greeting")
			}
		}, ErrorProtocol, StepGreeting},
		{"an unsolicited reply after EHLO", func(c *scripted) {
			c.ehloOK("AUTH PLAIN")
			c.send("250 extra")
			c.r.ReadString('\n')
		}, ErrorProtocol, StepMail},
		{"AUTH challenges that never end", func(c *scripted) {
			c.ehloOK("AUTH LOGIN")
			for i := 0; i < 10; i++ {
				if _, err := c.r.ReadString('\n'); err != nil {
					return
				}
				c.send("334 VXNlcm5hbWU6")
			}
		}, ErrorProtocol, StepAuth},
		{"354 missing after DATA", func(c *scripted) {
			c.ehloOK()
			c.expect("MAIL")
			c.send("250 ok")
			c.expect("RCPT")
			c.send("250 ok")
			c.expect("DATA")
			c.send("250 what data?")
			c.r.ReadString('\n')
		}, ErrorReply, StepData},
		{"a 421 in the middle", func(c *scripted) {
			c.ehloOK()
			c.expect("MAIL")
			c.send("421 4.3.2 shutting down")
		}, ErrorReply, StepMail},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := scriptServer(t, tc.script)
			cfg.Timeout = 500 * time.Millisecond
			if tc.step == StepAuth {
				cfg.Username, cfg.Password = testUser, testPassword
			}
			start := time.Now()
			var rec recorder
			_, err := Send(context.Background(), cfg, Envelope{From: "a@b.test", To: []string{"c@d.test"}}, testMessage("h", "x"), rec.on)
			var e *Error
			if !errors.As(err, &e) || e.Kind != tc.kind || e.Step != tc.step {
				t.Fatalf("err = %v (%v), want %v at %s\n%s", err, kindOf(e), tc.kind, tc.step, rec.transcript())
			}
			if took := time.Since(start); took > 5*cfg.Timeout {
				t.Errorf("took %v with a %v timeout", took, cfg.Timeout)
			}
			if e.Explain() == "" || strings.Contains(rec.transcript(), testPassword) {
				t.Error("no explanation, or the password leaked")
			}
		})
	}
}

func kindOf(e *Error) any {
	if e == nil {
		return nil
	}
	return e.Kind
}

func TestLOGINAcceptsAnyChallengeText(t *testing.T) {
	cfg := scriptServer(t, func(c *scripted) {
		c.ehloOK("AUTH LOGIN")
		c.expect("AUTH LOGIN")
		c.send("334 Username:") // not even base64, as some servers do
		c.expect("")
		c.send("334 UGFzc3dvcmQgcGxlYXNl") // "Password please"
		c.expect("")
		c.send("235 2.7.0 ok")
		c.expect("QUIT")
		c.send("221 bye")
	})
	cfg.Username, cfg.Password, cfg.Auth = testUser, testPassword, AuthLogin
	// Only a loopback server may get a password without TLS; the script is one.
	var rec recorder
	caps, err := Probe(context.Background(), cfg, rec.on)
	if err != nil || caps.AuthUsed != AuthLogin {
		t.Fatalf("caps %+v, err %v\n%s", caps, err, rec.transcript())
	}
	assertNoSecrets(t, rec.all())
}

func TestMessageRefusedAfterData(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{RejectData: &sandbox.Reply{Code: 554, Enhanced: "5.7.1", Text: "Message rejected as spam"}})
	res, err := Send(context.Background(), configFor(srv), Envelope{From: "a@sandbox.test", To: []string{"b@example.test"}}, testMessage("spam", "x"), nil)
	var e *Error
	if !errors.As(err, &e) || e.Step != StepMessage || e.Code != 554 || e.MayHaveBeenDelivered || res.Sent || res.Final == nil {
		t.Fatalf("err = %v, result %+v", err, res)
	}
	if !strings.Contains(e.Summary(), "refused the message after receiving it") {
		t.Errorf("summary: %s", e.Summary())
	}
}
