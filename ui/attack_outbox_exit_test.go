package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"stamp/outbox"
	"stamp/smtpclient"
	"stamp/smtpclient/sandbox"
)

// slowComposersOutbox is newComposersOutbox with a server of the given
// options (a slow one).
func slowComposersOutbox(t *testing.T, dir string, delay time.Duration, opts sandbox.Options) (*Composers, *Outbox, *sandbox.Server, *int) {
	t.Helper()
	srv, cfg := plainServer(t, opts)
	a := test.NewTempApp(t)
	a.Preferences().SetInt(prefUndoDelay, int(delay/time.Second))
	u, err := NewOutbox(a, OutboxOptions{
		Dir: filepath.Join(dir, "Outbox"), SentDir: filepath.Join(dir, "Sent"),
		Send: outbox.SenderFunc(func(ctx context.Context, _ string, env smtpclient.Envelope, msg smtpclient.Message, onEvent func(smtpclient.Event)) (*smtpclient.Result, error) {
			return smtpclient.Send(ctx, cfg(), env, msg, onEvent)
		}),
		Describe:       func(string) smtpclient.Config { return cfg() },
		NetworkChanges: func(context.Context) <-chan struct{} { return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	s := NewComposers(a, Options{DataDir: dir, Senders: func() []Sender { return []Sender{testSender} }, Outbox: u})
	stops := new(int)
	s.lastClosed = func() { *stops++ }
	u.Start()
	t.Cleanup(func() {
		if !u.Stop(10 * time.Second) {
			t.Error("an outbox send was still under way 10 s after the test")
		}
		if !s.Wait(10 * time.Second) {
			t.Error("a queueing was still under way 10 s after the test")
		}
		if s.menuTimer != nil {
			s.menuTimer.Stop()
		}
		for _, c := range s.all {
			if c.timer != nil {
				c.timer.Stop()
			}
		}
	})
	return s, u, srv, stops
}

// Finding 1: the exit question's Cancel, pressed while "Send them now"
// runs (a slow server), is ignored: once the sends end, the rest of the
// close runs anyway and the last window closes, ending Stamp.
func TestAttackCancelDuringSendThemNowStillClosesTheWindow(t *testing.T) {
	dir := t.TempDir()
	s, u, srv, stops := slowComposersOutbox(t, dir, 60*time.Second, sandbox.Options{FinalReplyDelay: 1500 * time.Millisecond})
	c := s.Start(nil)
	queueFrom(t, c, dir, "Slow one", 1)

	c.closeRequested() // the last composer
	top := c.Window.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(dialogText(top), "waiting in the Outbox") {
		t.Fatal("closing with a waiting message asked nothing")
	}
	test.Tap(findButton(top, "Send them now"))
	cancel := findButton(top, "Cancel")
	if cancel == nil || cancel.Disabled() {
		t.Fatal("no Cancel while the sends run")
	}
	test.Tap(cancel) // the person changed their mind: stay
	waitFor(t, "the slow send to end", func() bool { return len(srv.Messages()) == 1 && len(queuedIDs(t, dir)) == 0 })
	u.Stop(10 * time.Second) // waits for Send them now's goroutine too (goCounted)
	drainUI()
	if c.closed || *stops != 0 {
		t.Fatalf("the person pressed Cancel on the exit question, yet once the sends ended the window closed (closed %v) and Stamp ended (%d)", c.closed, *stops)
	}
}
