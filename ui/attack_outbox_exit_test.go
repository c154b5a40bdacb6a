package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

// Finding 1: the exit question's Cancel, pressed while "Send them now"
// runs (a slow server), is ignored: once the sends end, the rest of the
// close runs anyway and the last window closes, ending Stamp.
func TestAttackCancelDuringSendThemNowStillClosesTheWindow(t *testing.T) {
	dir, c, u, srv, stops, top := sendThemNowSlowly(t)
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
