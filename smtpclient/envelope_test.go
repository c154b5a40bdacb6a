package smtpclient

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"stamp/smtpclient/sandbox"
)

var refusals = map[string]sandbox.Reply{
	"nobody@example.test": {Code: 550, Enhanced: "5.1.1", Text: "No such user"},
	"later@example.test":  {Code: 450, Enhanced: "4.2.1", Text: "Mailbox busy"},
}

func TestRefusedRecipients(t *testing.T) {
	for _, tc := range []struct {
		name           string
		to             []string
		continueOn     bool
		wantErr        bool
		wantDelivered  []string
		wantTemporary  bool
		wantErrMessage string
	}{
		{"by default one refusal sends nothing", []string{"bob@example.test", "nobody@example.test", "carol@example.test"},
			false, true, nil, false, "1 of 3 recipients were refused"},
		{"with continue-on-rejected the accepted recipients get it", []string{"bob@example.test", "nobody@example.test", "carol@example.test"},
			true, false, []string{"bob@example.test", "carol@example.test"}, false, ""},
		{"when every recipient is refused nothing is sent even with continue", []string{"nobody@example.test", "later@example.test"},
			true, true, nil, false, "Every recipient was refused"},
		{"only temporary refusals make a temporary error", []string{"later@example.test"},
			false, true, nil, true, "Every recipient was refused"},
	} {
		for _, pipelining := range []bool{true, false} {
			name := tc.name + map[bool]string{true: " (pipelined)", false: " (one by one)"}[pipelining]
			t.Run(name, func(t *testing.T) {
				srv := startSandbox(t, sandbox.Options{RejectRcpt: refusals, DisablePipelining: !pipelining})
				cfg := configFor(srv)
				cfg.ContinueOnRejected = tc.continueOn
				var rec recorder
				res, err := Send(context.Background(), cfg, Envelope{From: "a@sandbox.test", To: tc.to}, testMessage("r", "x"), rec.on)
				if (err != nil) != tc.wantErr {
					t.Fatalf("err = %v\n%s", err, rec.transcript())
				}
				// Every recipient has its verdict, in the result and as an event.
				verdicts := 0
				for _, ev := range rec.all() {
					if ev.Kind == EventRecipient {
						verdicts++
						_, refused := refusals[ev.Recipient]
						if ev.Accepted == refused || ev.Reply == nil {
							t.Errorf("verdict for %s: accepted=%v reply=%v", ev.Recipient, ev.Accepted, ev.Reply)
						}
					}
				}
				if verdicts != len(tc.to) || len(res.Recipients) != len(tc.to) {
					t.Errorf("%d verdict events, %d results, want %d", verdicts, len(res.Recipients), len(tc.to))
				}
				for _, r := range res.Refused() {
					if want := refusals[r.Address]; r.Reply == nil || r.Reply.Code != want.Code || r.Reply.Enhanced != want.Enhanced {
						t.Errorf("refused %s with %v, want %d %s", r.Address, r.Reply, want.Code, want.Enhanced)
					}
				}
				msgs := srv.Messages()
				if tc.wantDelivered == nil {
					if len(msgs) != 0 {
						t.Errorf("a message was delivered: %+v", msgs[0].To)
					}
					if !strings.Contains(rec.transcript(), "-> RSET") {
						t.Error("no RSET after the refusal")
					}
				} else if len(msgs) != 1 || strings.Join(msgs[0].To, ",") != strings.Join(tc.wantDelivered, ",") {
					t.Errorf("delivered %+v, want to %v", msgs, tc.wantDelivered)
				}
				if err != nil {
					var e *Error
					if !errors.As(err, &e) || e.Step != StepRcpt || e.Temporary != tc.wantTemporary || !strings.Contains(e.Note, tc.wantErrMessage) {
						t.Errorf("error = %+v", e)
					}
				}
			})
		}
	}
}

func TestPipelining(t *testing.T) {
	to := []string{"r1@example.test", "r2@example.test", "r3@example.test"}
	for _, tc := range []struct {
		name       string
		serverOff  bool
		clientOff  bool
		wantPipled bool
	}{
		{"offered: MAIL and every RCPT go in one write", false, false, true},
		{"not offered: one command at a time", true, false, false},
		{"switched off in the config: one command at a time", false, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startSandbox(t, sandbox.Options{DisablePipelining: tc.serverOff})
			cfg := configFor(srv)
			cfg.DisablePipelining = tc.clientOff
			var rec recorder
			res, err := Send(context.Background(), cfg, Envelope{From: "a@sandbox.test", To: to}, testMessage("p", "x"), rec.on)
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if res.Capabilities.Pipelining == tc.serverOff {
				t.Errorf("server offered PIPELINING = %v", res.Capabilities.Pipelining)
			}
			// Pipelined: every command of the envelope is on the wire before
			// the first reply to MAIL FROM is read.
			var lines []string
			for _, ev := range rec.all() {
				if ev.Kind == EventLine && (ev.Step == StepMail || ev.Step == StepRcpt) {
					lines = append(lines, ev.Direction.String())
				}
			}
			pipelined := strings.HasPrefix(strings.Join(lines, " "), "client client client client server")
			if pipelined != tc.wantPipled {
				t.Errorf("pipelined = %v, directions %v", pipelined, lines)
			}
			if len(srv.Messages()) != 1 {
				t.Error("message not delivered")
			}
		})
	}
}

func TestSizeLimitIsCheckedBeforeMailFrom(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{MaxSize: 1000})
	var rec recorder
	msg := testMessage("big", strings.Repeat("0123456789\r\n", 200))
	_, err := Send(context.Background(), configFor(srv), Envelope{From: "a@sandbox.test", To: []string{"b@example.test"}}, msg, rec.on)
	var e *Error
	if !errors.As(err, &e) || e.Step != StepMail || e.Kind != ErrorPolicy {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(e.Message, "2,") || !strings.Contains(e.Message, "1,000") {
		t.Errorf("message does not give both sizes: %s", e.Message)
	}
	if strings.Contains(rec.transcript(), "-> MAIL") {
		t.Error("MAIL FROM was sent for a message over the limit")
	}
}

func TestSMTPUTF8(t *testing.T) {
	env := Envelope{From: "a@sandbox.test", To: []string{"jörg@exämple.test"}}
	t.Run("a UTF-8 address is sent with SMTPUTF8 when offered", func(t *testing.T) {
		srv := startSandbox(t, sandbox.Options{SMTPUTF8: true})
		if _, err := Send(context.Background(), configFor(srv), env, testMessage("u", "x"), nil); err != nil {
			t.Fatal(err)
		}
		if m := srv.Messages(); len(m) != 1 || !m[0].UTF8 || m[0].To[0] != "jörg@exämple.test" {
			t.Errorf("server got %+v", m)
		}
	})
	t.Run("a UTF-8 address without SMTPUTF8 is a clear error", func(t *testing.T) {
		srv := startSandbox(t, sandbox.Options{})
		_, err := Send(context.Background(), configFor(srv), env, testMessage("u", "x"), nil)
		var e *Error
		if !errors.As(err, &e) || e.Kind != ErrorPolicy || !strings.Contains(e.Message, "SMTPUTF8") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestMailRefused(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{RejectMail: &sandbox.Reply{Code: 553, Enhanced: "5.7.1", Text: "Sender not owned by user"}})
	res, err := Send(context.Background(), configFor(srv), Envelope{From: "a@sandbox.test", To: []string{"b@example.test"}}, testMessage("m", "x"), nil)
	var e *Error
	if !errors.As(err, &e) || e.Step != StepMail || e.Code != 553 || res.Sent {
		t.Fatalf("err = %v", err)
	}
}

func TestInvalidEnvelopeSendsNothing(t *testing.T) {
	for _, env := range []Envelope{
		{From: "a@b.test"},
		{From: "a@b.test", To: []string{"b@example.test>\r\nRCPT TO:<evil@x.test"}},
		{From: "a b@c.test", To: []string{"b@example.test"}},
		{From: "a@b.test", To: []string{"no-at-sign"}},
	} {
		_, err := Send(context.Background(), Config{Host: "127.0.0.1", Port: 1}, env, testMessage("i", "x"), nil)
		var e *Error
		if !errors.As(err, &e) || e.Kind != ErrorInput {
			t.Errorf("%+v: err = %v", env, err)
		}
	}
}

func TestManyRecipientsArePipelinedInBatches(t *testing.T) {
	to := make([]string, 250)
	for i := range to {
		to[i] = "r" + strconv.Itoa(i) + "@example.test"
	}
	to[220] = "nobody@example.test"
	srv := startSandbox(t, sandbox.Options{RejectRcpt: refusals})
	cfg := configFor(srv)
	cfg.ContinueOnRejected = true
	var rec recorder
	res, err := Send(context.Background(), cfg, Envelope{From: "a@sandbox.test", To: to}, testMessage("many", "x"), rec.on)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Accepted()) != 249 || len(res.Refused()) != 1 || res.Refused()[0].Address != "nobody@example.test" {
		t.Errorf("%d accepted, refused %+v", len(res.Accepted()), res.Refused())
	}
	// Count the client lines written before each server line: batches of
	// MAIL + 100, then 100, then 50.
	var runs []int
	n := 0
	for _, ev := range rec.all() {
		if ev.Kind != EventLine || (ev.Step != StepMail && ev.Step != StepRcpt) {
			continue
		}
		if ev.Direction == Client {
			n++
		} else if n > 0 {
			runs = append(runs, n)
			n = 0
		}
	}
	if len(runs) != 3 || runs[0] != 1+pipelineBatch || runs[1] != pipelineBatch || runs[2] != 50 {
		t.Errorf("client lines per write: %v", runs)
	}
	if m := srv.Messages(); len(m) != 1 || len(m[0].To) != 249 {
		t.Errorf("server delivered to %d", len(m[0].To))
	}
}
