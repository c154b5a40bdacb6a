package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// Finding 3: a window closed with "Discard" while its autosave is under
// way. The autosave timer's func has already fired and queued
// runOnUI(c.autosave) (exactly what scheduleAutosave's timer does) when
// the person taps Discard: closeNow stops the timer, which no longer
// matters, drafts.Clear removes the file, the window closes, and then the
// queued autosave runs on the closed composer, reads the still-filled
// form and writes the discarded draft back. At the next start Stamp
// reopens the message the person threw away.
func TestAttackDiscardedDraftComesBackFromAQueuedAutosave(t *testing.T) {
	dir := t.TempDir()
	s, _ := newTestComposers(t, dir, Options{})
	a := s.Start(nil)
	b := s.NewComposer()
	write(a, "Discard me", "Not needed.")
	write(b, "Keep me", "Still writing.")
	a.autosave()
	b.autosave()
	test.Type(a.Body, " Really.") // typed since the last save
	runOnUI(a.autosave)           // the autosave timer fired just before the click
	a.closeRequested()
	tapButton(t, a.Window, "Discard")
	drainUI()
	if got := draftFiles(t, dir); strings.Join(got, "|") != "Keep me" {
		t.Fatalf("after discarding a composer whose autosave was queued, the drafts are %q; want only Keep me (the discarded one comes back at the next start)", got)
	}
}
