package smtpclient

import (
	"context"
	"errors"
	"strings"
	"testing"

	"stamp/smtpclient/sandbox"
)

func TestSendInEverySecurityMode(t *testing.T) {
	for _, tc := range []struct {
		name    string
		sec     sandbox.Security
		wantTLS bool
	}{
		{"plain text to the loopback sandbox", sandbox.None, false},
		{"STARTTLS upgrades and says EHLO again", sandbox.STARTTLS, true},
		{"implicit TLS from the first byte", sandbox.TLS, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startSandbox(t, sandbox.Options{Security: tc.sec, Username: testUser, Password: testPassword})
			var rec recorder
			env := Envelope{From: "alice@sandbox.test", To: []string{"bob@example.test", "carol@example.test"}}
			msg := testMessage("modes", "Hello\r\n.leading dot\r\nbare\nLF and bare\rCR\r\n")
			res, err := Send(context.Background(), configFor(srv), env, msg, rec.on)
			if err != nil {
				t.Fatalf("Send: %v\n%s", err, rec.transcript())
			}
			if !res.Sent || len(res.Accepted()) != 2 {
				t.Fatalf("result = %+v", res)
			}
			if (res.TLS != nil) != tc.wantTLS {
				t.Errorf("TLS info = %+v, want TLS %v", res.TLS, tc.wantTLS)
			}
			got := srv.Messages()
			if len(got) != 1 {
				t.Fatalf("server got %d messages", len(got))
			}
			m := got[0]
			if m.User != testUser || m.TLS != tc.wantTLS {
				t.Errorf("server saw user %q TLS %v", m.User, m.TLS)
			}
			if strings.Join(m.To, ",") != "bob@example.test,carol@example.test" {
				t.Errorf("server envelope To = %v", m.To)
			}
			want := strings.TrimSuffix(string(msg), "bare\nLF and bare\rCR\r\n") + "bare\r\nLF and bare\r\nCR\r\n"
			if string(m.Data) != want {
				t.Errorf("server got\n%q\nwant\n%q", m.Data, want)
			}
			if res.QueueID == "" || res.QueueID != m.QueueID {
				t.Errorf("queue id %q, server's %q", res.QueueID, m.QueueID)
			}
			if m.SizeParam != msg.Size() {
				t.Errorf("SIZE= %d, want %d", m.SizeParam, msg.Size())
			}
			tr := rec.transcript()
			if tc.sec == sandbox.STARTTLS && strings.Count(tr, "-> EHLO ") != 2 {
				t.Errorf("want EHLO before and after STARTTLS:\n%s", tr)
			}
		})
	}
}

func TestErrorIsTyped(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{Username: testUser, Password: testPassword})
	cfg := configFor(srv)
	cfg.Password = "stamp-test-secret-wrong-password"
	_, err := Send(context.Background(), cfg, Envelope{From: "a@b.test", To: []string{"c@d.test"}}, testMessage("x", "y"), nil)
	var e *Error
	if !errors.As(err, &e) || e.Step != StepAuth || e.Code != 535 {
		t.Fatalf("err = %v", err)
	}
}
