package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

// Finding 5: a second Send from the same composer during the first
// message's undo delay replaces the undo bar: the first message, still
// waiting out its delay, can no longer be undone from the composer.
func TestAttackASecondSendTakesAwayTheFirstMessagesUndo(t *testing.T) {
	dir := t.TempDir()
	s, u, _, _ := newComposersOutbox(t, dir, 60*time.Second)
	c := s.Start(nil)
	queueFrom(t, c, dir, "First", 1)
	waitFor(t, "the undo bar", func() bool { return c.undoBar.Visible() })
	queueFrom(t, c, dir, "Second", 2)
	waiting := 0
	for _, r := range u.Waiting() {
		if r.NextAttempt.After(time.Now()) {
			waiting++
		}
	}
	if waiting != 2 {
		t.Fatalf("%d messages in their undo delay, want 2", waiting)
	}
	// Undo brings “Second” back; “First” is still in its delay, but the
	// composer no longer offers to undo it.
	test.Tap(c.undoButton)
	waitFor(t, "“Second” back in the composer", func() bool { return c.Subject.Text == "Second" && len(queuedIDs(t, dir)) == 1 })
	left := u.Waiting()
	if len(left) != 1 || left[0].Subject != "First" || !left[0].NextAttempt.After(time.Now()) {
		t.Fatalf("the outbox: %+v", left)
	}
	if !c.undoBar.Visible() || c.undoID != left[0].ID {
		t.Fatalf("“First” waits %v more in its undo delay, but the composer that sent it offers no Undo for it (bar visible %v, offers %q)",
			time.Until(left[0].NextAttempt).Round(time.Second), c.undoBar.Visible(), subjectOfID(u, c.undoID))
	}
}

func subjectOfID(u *Outbox, id string) string {
	r, err := u.Box.Get(id)
	if err != nil {
		return id
	}
	return r.Subject
}
