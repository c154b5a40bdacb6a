//go:build unix

package outbox

// Adversarial test (issue 18 review); skipped unless STAMP_ATTACK is set.
// See ATTACK.md.

import (
	"context"
	"net"
	"testing"
	"time"

	"stamp/smtpclient"
	"stamp/smtpclient/sandbox"
)

// Finding 15: the train's Wi-Fi before its portal login (the case issue 18
// starts from): the network is "up", but every TCP connection reaches the
// portal's web server, which answers HTTP. The engine calls that a protocol
// error, classify files it as "needs attention: problem", and when the
// person has logged in (a network change, the server reachable) nothing
// retries: the message waits for the person.
func TestAttackACaptivePortalMakesTheMessageNeedAttention(t *testing.T) {
	attackOnly(t, 15)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Write([]byte("HTTP/1.1 302 Found\r\nLocation: http://portal.train.example/login\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
			c.Close()
		}
	}()
	e := newEnv(t, sandbox.Options{})
	port := ln.Addr().(*net.TCPAddr).Port
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
	t.Logf("behind the portal: %s %s: %s", got.State, got.Reason, got.LastError.Text)
	if got.State != Retrying {
		t.Fatalf("a captive portal answering HTTP left the message %q (%q) — not retried after the login (the network change): %s",
			got.State, got.Reason, got.LastError.Text)
	}
}
