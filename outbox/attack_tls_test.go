//go:build unix

package outbox

// A connection dropped during TLS (issue 18 review, finding 13).

import (
	"context"
	"net"
	"testing"
	"time"

	"stamp/internal/loopback"
	"stamp/smtpclient"
	"stamp/smtpclient/sandbox"
)

// Finding 13: a connection that drops during the TLS handshake (the
// server restarting, a flaky train Wi-Fi, a middlebox reset — nothing about
// certificates) was filed as "needs attention: certificate" and never
// retried. Now the engine keeps it a connection failure: the message
// retries and leaves once the server is back.
func TestAConnectionDroppedDuringTLSIsRetried(t *testing.T) {
	// A server that goes away in the middle of the handshake: it reads the
	// ClientHello and hangs up.
	addr := loopback.Serve(t, func(c net.Conn) { c.Read(make([]byte, 512)) })
	e := newEnv(t, sandbox.Options{})
	var port int
	var ca []byte
	o := e.open(Options{Backoff: []time.Duration{10 * time.Millisecond}, Sender: SenderFunc(func(ctx context.Context, account string, env smtpclient.Envelope, msg smtpclient.Message, onEvent func(smtpclient.Event)) (*smtpclient.Result, error) {
		cfg := smtpclient.Config{Host: "127.0.0.1", Port: port, Security: smtpclient.SecurityTLS, CAPEM: ca, Timeout: 5 * time.Second}
		return smtpclient.Send(ctx, cfg, env, msg, onEvent)
	})})
	port = addr.Port
	r, err := o.Enqueue(testNew("dropped in TLS"))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := o.SendNow(context.Background(), r.ID, false)
	if got.State != Retrying {
		t.Fatalf("after the drop: %s %s %+v, want retrying", got.State, got.Reason, got.LastError)
	}

	// The server is back (a real TLS server on loopback, on another port
	// the sender is told), and the outbox runs: the message should leave
	// on its own.
	srv, err := sandbox.Start(context.Background(), sandbox.Options{Security: sandbox.TLS})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	port, ca = srv.Port(), srv.CAPEM()
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan struct{})
	go func() { o.Run(ctx); close(ran) }()
	defer func() { cancel(); <-ran }() // before TempDir's clean-up
	wctx, wcancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer wcancel()
	if _, err := srv.Wait(wctx, 1); err != nil {
		r, _ := o.Get(r.ID)
		t.Fatalf("a connection dropped during the TLS handshake left the message %q (%q), never retried: %s", r.State, r.Reason, r.LastError.Text)
	}
}

// 454 "TLS not available due to temporary reason" (RFC 3207) is
// temporary; a certificate verdict needs the person.
func TestClassifyTLSFailures(t *testing.T) {
	for _, c := range []struct {
		err    *smtpclient.Error
		reason Reason
		temp   bool
	}{
		{&smtpclient.Error{Kind: smtpclient.ErrorTLS, Step: smtpclient.StepSTARTTLS, Code: 454, Temporary: true}, "", true},
		{&smtpclient.Error{Kind: smtpclient.ErrorTLS, Step: smtpclient.StepTLS, CertificateSHA256: "ab"}, ReasonCertificate, false},
		{&smtpclient.Error{Kind: smtpclient.ErrorConnection, Step: smtpclient.StepTLS}, "", true},
	} {
		if reason, temp := classify(c.err); reason != c.reason || temp != c.temp {
			t.Errorf("%+v: %q %v, want %q %v", c.err, reason, temp, c.reason, c.temp)
		}
	}
}
