package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"stamp/smtpclient/sandbox"
)

// Finding 1: the exit question's Cancel, pressed while "Send them now"
// runs (a slow server), is ignored: once the sends end, the rest of the
// close runs anyway and the last window closes, ending Stamp.
func TestAttackCancelDuringSendThemNowStillClosesTheWindow(t *testing.T) {
	dir := t.TempDir()
	s, u, srv, stops := composersOutbox(t, dir, 60*time.Second, sandbox.Options{FinalReplyDelay: 1500 * time.Millisecond})
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
