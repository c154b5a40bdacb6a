package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

// Finding 4: closing the window while Send is putting the message into
// the outbox (reading big attachments) asks "Closing this window now stops
// its send. The message stays in your drafts, marked as possibly sent." The
// person confirms: yet the queueing is not stopped, it ends afterwards,
// clears the draft and leaves the message in the outbox, which sends it.
// (The closed composer also keeps ticking its undo bar once a second for
// ever: nothing clears undoID after stopOutbox.)
func TestAttackClosingDuringQueueingSaysItStopsButTheMessageIsSentAndTheDraftGone(t *testing.T) {
	dir := t.TempDir()
	s, _, _, _ := newComposersOutbox(t, dir, 60*time.Second)
	s.Start(nil)
	c := s.NewComposer() // not the last: closing it asks only about its send
	typeMessage(c, "Stop this")
	c.TrySend() // the Enqueue goroutine's result waits for the UI goroutine (drainUI)
	if !c.sending {
		t.Fatal("Send did not start queueing")
	}
	c.closeRequested()
	top := c.Window.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(dialogText(top), "stops its send") {
		t.Fatalf("closing during the queueing asked %q", dialogText(top))
	}
	test.Tap(findButton(top, "Yes"))
	if !c.closed {
		t.Fatal("the window did not close")
	}
	waitFor(t, "the queueing to end", func() bool { return !c.sending })
	if !s.Wait(10 * time.Second) {
		t.Fatal("queueing still under way")
	}
	drainUI()
	drafts := strings.Join(draftFiles(t, dir), "|")
	queued := queuedIDs(t, dir)
	if drafts != "Stop this" {
		t.Fatalf("told the send stops and the message stays in the drafts marked as possibly sent; the drafts are %q and the outbox holds %d message(s), which it will send", drafts, len(queued))
	}
	if len(queued) != 0 {
		t.Fatalf("the draft is kept but the outbox also holds the message: it goes out and the draft invites a second send")
	}
}
