package ui

import (
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"stamp/smtpclient/sandbox"
)

// Finding 1: the exit question's Cancel, pressed while "Send them now"
// runs (a slow server), is ignored: once the sends end, the rest of the
// close runs anyway and the window (the app, when it is the last) goes.
func TestAttackCancelDuringSendThemNowStillClosesTheWindow(t *testing.T) {
	if os.Getenv("STAMP_ATTACK") == "" {
		t.Skip("attack finding 1")
	}
	srv, cfg := plainServer(t, sandbox.Options{FinalReplyDelay: 1500 * time.Millisecond})
	r := newOutboxRig(t, t.TempDir(), 60*time.Second, cfg, false)
	c := r.c
	r.queue(t, "Slow one")

	c.closeRequested()
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
	waitFor(t, "the slow send to end", func() bool { return len(srv.Messages()) == 1 && len(queuedIDs(t, r.data)) == 0 })
	if !waitAtMost(&r.u.running, 10*time.Second) {
		t.Fatal("Send them now still running")
	}
	drainUI()
	if c.closed {
		t.Fatal("the person pressed Cancel on the exit question, yet the window closed once the sends ended")
	}
}
