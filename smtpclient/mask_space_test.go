package smtpclient

// A secret split over reply lines at a space (found by the third review).

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// A server that wraps a long reply at a space (the usual way to wrap text)
// drops that space: "… password correct horse" / "… battery staple". The
// mask across lines joins the lines' texts with nothing between them, so a
// password that holds a space is never found; each line is masked alone and
// neither holds the whole password: both halves reach the transcript, one
// after the other, where a person reads the password whole. Reply.Text()
// (and String()) join the lines with a space, so a Result.Final a front end
// prints holds the password whole again.
func TestAPasswordWithASpaceWrappedAtTheSpaceIsMasked(t *testing.T) {
	const first, second = "stamp-test-secret correct", "horse battery staple"
	const pw = first + " " + second
	t.Run("auth error transcript", func(t *testing.T) {
		cfg := scriptServer(t, func(c *scripted) {
			c.ehloOK("AUTH PLAIN")
			c.expect("AUTH PLAIN ")
			c.send("535-5.7.8 Authentication failed for password "+first, "535 5.7.8 "+second)
			c.waitClose()
		})
		cfg.Username, cfg.Password, cfg.Auth = testUser, pw, AuthPlain
		var rec recorder
		_, err := Probe(context.Background(), cfg, rec.on)
		var e *Error
		if !errors.As(err, &e) || e.Code != 535 {
			t.Fatalf("err is not the 535 reply")
		}
		var shown []string
		for _, ev := range rec.all() {
			if ev.Kind == EventLine && ev.Direction == Server {
				shown = append(shown, ev.Text)
			}
		}
		joined := strings.Join(shown, "\n")
		if strings.Contains(joined, first) && strings.Contains(joined, second) {
			t.Errorf("both halves of the password (split at its space) are in the transcript's server lines, unmasked")
		}
	})
	t.Run("final reply", func(t *testing.T) {
		res, err, _ := sendThroughScriptLines(t, pw, "250-2.0.0 Ok: queued; your password was "+first, "250 2.0.0 "+second)
		if err != nil {
			t.Fatal("send failed")
		}
		if res.Final == nil {
			t.Fatal("no final reply")
		}
		if strings.Contains(res.Final.String(), pw) {
			t.Errorf("Result.Final.String() holds the whole password")
		}
		j, _ := json.Marshal(res)
		if strings.Contains(string(j), first) && strings.Contains(string(j), second) {
			t.Errorf("the Result JSON (stamp-send --json) holds both halves of the password")
		}
	})
}

// sendThroughScriptLines is sendThroughScript with a multi-line final reply.
func sendThroughScriptLines(t *testing.T, password string, final ...string) (*Result, error, []Event) {
	t.Helper()
	cfg := scriptServer(t, func(c *scripted) {
		c.ehloOK("AUTH PLAIN")
		c.expect("AUTH PLAIN ")
		c.send("235 2.7.0 ok")
		c.expect("MAIL")
		c.send("250 ok")
		c.expect("RCPT")
		c.send("250 ok")
		c.expect("DATA")
		c.send("354 go ahead")
		c.readData()
		c.send(final...)
		c.expect("QUIT")
		c.send("221 bye")
	})
	cfg.Username, cfg.Password, cfg.Auth = testUser, password, AuthPlain
	var rec recorder
	res, err := Send(context.Background(), cfg, Envelope{From: "a@sandbox.test", To: []string{"b@example.test"}},
		testMessage("queue", "hi"), rec.on)
	return res, err, rec.all()
}

// The engine decides on the EHLO reply as the server sent it: a password
// that spans the junction of two EHLO lines ("…PIPELINING" / "8BITMIME…")
// is masked in what is handed out, yet the engine still sees PIPELINING,
// 8BITMIME and SIZE offered.
func TestASecretAcrossEHLOLinesHidesNoExtensionFromTheEngine(t *testing.T) {
	const pw = "NING 8BITM"
	cfg := scriptServer(t, func(c *scripted) {
		c.ehloOK("PIPELINING", "8BITMIME", "SIZE 1000", "AUTH PLAIN")
		c.expect("AUTH PLAIN ")
		c.send("235 2.7.0 ok")
		c.expect("QUIT")
		c.send("221 bye")
	})
	cfg.Username, cfg.Password, cfg.Auth = testUser, pw, AuthPlain
	var rec recorder
	caps, err := Probe(context.Background(), cfg, rec.on)
	if err != nil {
		t.Fatalf("probe: %v", err)
	}
	if !caps.Pipelining || !caps.EightBitMIME || !caps.SizeOffered || caps.MaxSize != 1000 {
		t.Errorf("the engine lost an extension to the mask: pipelining %v, 8bitmime %v, size %v %d",
			caps.Pipelining, caps.EightBitMIME, caps.SizeOffered, caps.MaxSize)
	}
	j, _ := json.Marshal(caps)
	var shown []string
	for _, ev := range rec.all() {
		if ev.Kind == EventLine && ev.Direction == Server {
			shown = append(shown, ev.Text)
		}
	}
	all := string(j) + "\n" + strings.Join(shown, "\n")
	if strings.Contains(all, "PIPELINING") && strings.Contains(all, "8BITMIME") {
		t.Errorf("the password's two halves (\"…NING\", \"8BITM…\") are both handed out unmasked:\n%s", all)
	}
}
