//go:build unix

package outbox

// Behind a captive portal (issue 18 review, finding 15).

import (
	"context"
	"net"
	"testing"
	"time"

	"stamp/internal/loopback"
	"stamp/smtpclient"
	"stamp/smtpclient/sandbox"
)

// Finding 15: the train's Wi-Fi before its portal login (the case issue 18
// starts from): the network is "up", but every TCP connection reaches the
// portal's web server, which answers HTTP. The engine calls that a protocol
// error at the greeting; it was filed as "needs attention: problem", never
// retried. Now it is temporary (and retried on a network change, as a
// server that could not be reached).
func TestACaptivePortalIsRetried(t *testing.T) {
	addr := loopback.Serve(t, func(c net.Conn) {
		c.Write([]byte("HTTP/1.1 302 Found\r\nLocation: http://portal.train.example/login\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
	})
	e := newEnv(t, sandbox.Options{})
	port := addr.Port
	o := e.open(Options{Backoff: []time.Duration{time.Hour},
		Sender: SenderFunc(func(ctx context.Context, account string, env smtpclient.Envelope, msg smtpclient.Message, onEvent func(smtpclient.Event)) (*smtpclient.Result, error) {
			cfg := smtpclient.Config{Host: "127.0.0.1", Port: port, Security: smtpclient.SecurityNone, Timeout: 5 * time.Second}
			return smtpclient.Send(ctx, cfg, env, msg, onEvent)
		})})
	r, err := o.Enqueue(testNew("from the train"))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := o.SendNow(context.Background(), r.ID, false)
	if got.State != Retrying {
		t.Fatalf("a captive portal answering HTTP left the message %q (%q) — not retried after the login (the network change): %s",
			got.State, got.Reason, got.LastError.Text)
	}
}

// A server that greeted properly and then broke the protocol still needs
// the person.
func TestAProtocolErrorAfterTheGreetingNeedsAttention(t *testing.T) {
	for step, want := range map[smtpclient.Step]bool{smtpclient.StepGreeting: true, smtpclient.StepEHLO: false, smtpclient.StepMessage: false} {
		if reason, temp := classify(&smtpclient.Error{Kind: smtpclient.ErrorProtocol, Step: step}); temp != want || !temp && reason != ReasonProblem {
			t.Errorf("protocol error at %s: %q %v, want temporary %v", step, reason, temp, want)
		}
	}
}
