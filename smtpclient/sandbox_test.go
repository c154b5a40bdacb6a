package smtpclient

import (
	"context"
	"testing"
	"time"

	"stamp/smtpclient/sandbox"
)

// D6: an app that saves each message in OnMessage can run the sandbox so
// that it keeps none of them.
func TestTheSandboxCanHandMessagesOverWithoutKeepingThem(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{DeliverOnly: true})
	got := make(chan sandbox.Message, 2)
	stop := srv.OnMessage(func(m sandbox.Message) { got <- m })
	defer stop()
	for i := range 2 {
		if _, err := Send(context.Background(), configFor(srv), Envelope{From: "a@sandbox.test", To: []string{"b@example.test"}}, testMessage("keep", "body"), nil); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := srv.Wait(ctx, 2); err != nil {
		t.Fatalf("Wait: %v", err)
	}
	for range 2 {
		if m := <-got; len(m.Data) == 0 || m.Size != int64(len(m.Data)) {
			t.Errorf("OnMessage got %d bytes of %d", len(m.Data), m.Size)
		}
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("the server kept %d messages", n)
	}
}
