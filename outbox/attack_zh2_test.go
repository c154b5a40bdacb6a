package outbox

import (
	"bufio"
	"context"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"stamp/smtpclient"
	"stamp/smtpclient/sandbox"
)

// A send stopped (Stamp closing, the person's Cancel) while the server's
// final reply to the whole message was awaited: the record rightly says
// ReasonMaybeDelivered, but its LastError.Explain — what the Outbox window
// prints as "Last error:" under "Needs attention: may have been
// delivered", and what stamp-send's outbox list prints — is the engine's
// cancel row: "Sending was cancelled. Nothing more was sent after the
// cancel; send again when ready." That tells the person to send again a
// message that may already be in the recipient's mailbox.
func TestAttackZh2CancelAfterDataIsExplainedAsSendAgain(t *testing.T) {
	if os.Getenv("STAMP_ATTACK") == "" {
		t.Skip("attack test")
	}
	gotDot := make(chan struct{})
	ln := rawServer(t, func(c net.Conn) {
		w := func(s string) { c.Write([]byte(s + "\r\n")) }
		w("220 raw ESMTP")
		r := bufio.NewReader(c)
		inData := false
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\r\n")
			switch {
			case inData && line == ".":
				close(gotDot)
				// Never answer: wait for the client to go away.
				r.ReadString('\n')
				return
			case inData:
			case strings.HasPrefix(strings.ToUpper(line), "EHLO"):
				w("250-raw")
				w("250 8BITMIME")
			case strings.HasPrefix(strings.ToUpper(line), "DATA"):
				inData = true
				w("354 go on")
			default:
				w("250 ok")
			}
		}
	})
	e := newEnv(t, sandbox.Options{})
	o := e.open(Options{Sender: sandboxSender(ln.Addr().(*net.TCPAddr).Port)})
	r, err := o.Enqueue(testNew("stopped before the 250"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		select {
		case <-gotDot:
			cancel()
		case <-time.After(20 * time.Second):
			cancel()
		}
	}()
	got, _ := o.SendNow(ctx, r.ID, false)
	if got.Reason != ReasonMaybeDelivered {
		t.Fatalf("state %q reason %q, want needs-attention / may-have-been-delivered (setup)", got.State, got.Reason)
	}
	if got.LastError == nil {
		t.Fatal("no LastError")
	}
	x := got.LastError.Explain()
	t.Logf("Outbox window: %q / Last error: %q", "Needs attention: may have been delivered", x)
	if strings.Contains(x, "send again when ready") || strings.Contains(x, "Nothing more was sent") {
		t.Errorf("a message that may have been delivered is explained as a plain cancel that invites a resend: %q", x)
	}
	_ = smtpclient.MaybeSent
}
