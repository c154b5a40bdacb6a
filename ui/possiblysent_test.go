package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"stamp/smtpclient"
)

// sendAgainQuestion is what the composer asks before sending a message that
// may already have been delivered.
const sendAgainQuestion = "may already have been delivered — send it again?"

// maybeDelivered sends c's message to a server whose final reply comes too
// late: the outcome is "may have been delivered".
func maybeDelivered(t *testing.T, c *Composer) {
	t.Helper()
	done := sendsDone(c)
	c.TrySend()
	waitDone(t, done)
	if !strings.HasPrefix(c.panel.Outcome.Text, "The message may have been delivered") {
		t.Fatalf("outcome = %q", c.panel.Outcome.Text)
	}
}

// ATTACK2 item 4 (issue 21 §3): Retry in the panel went through TrySend
// without a word although the mark says a second copy may arrive.
func TestRetryAfterMayHaveBeenDeliveredAsksBeforeSendingASecondCopy(t *testing.T) {
	dir := t.TempDir()
	c, srv := slowServerComposer(t, dir, 2*time.Second, 200*time.Millisecond)
	typeMessage(c, "Twice")
	maybeDelivered(t, c)
	if !c.panel.RetryButton.Visible() {
		t.Fatal("no Retry offered")
	}
	test.Tap(c.panel.RetryButton)
	if c.sending {
		t.Fatal("Retry after \"may have been delivered\" started a second send without asking")
	}
	if text := dialogText(c.Window.Canvas().Overlays().Top()); !strings.Contains(text, sendAgainQuestion) {
		t.Fatalf("Retry asks %q; want %q", text, sendAgainQuestion)
	}
	waitMessages(t, srv, 1) // the first send, late
	// The person decides to send it again: it goes.
	done := sendsDone(c)
	tapButton(t, c.Window, "Send anyway")
	waitDone(t, done)
	waitMessages(t, srv, 2)
}

// ATTACK2 item 4, after a restart: the restored draft is marked, and Send
// asks too.
func TestSendAfterARestartAsksBeforeSendingAMessageThatMayHaveBeenDelivered(t *testing.T) {
	dir := t.TempDir()
	c, _ := slowServerComposer(t, dir, 2*time.Second, 200*time.Millisecond)
	typeMessage(c, "Restart")
	maybeDelivered(t, c)

	c2, sent := newTestComposer(t, dir)
	c2.TrySend()
	if len(*sent) != 0 {
		t.Fatal("Send after a restart sent a message that may have been delivered without asking")
	}
	if text := dialogText(c2.Window.Canvas().Overlays().Top()); !strings.Contains(text, sendAgainQuestion) {
		t.Fatalf("Send asks %q; want %q", text, sendAgainQuestion)
	}
	tapButton(t, c2.Window, "Back to the message")
	if len(*sent) != 0 {
		t.Fatal("\"Back to the message\" sent it")
	}
}

// ATTACK2 item 5: possiblySent was reset only by a successful send or
// clearForm, so a new message written in an emptied form was saved marked
// and the next start warned about a message never sent.
func TestAnEmptiedFormDoesNotPassThePossiblySentMarkToTheNextMessage(t *testing.T) {
	for _, tc := range []struct {
		name          string
		saveWhenEmpty bool
	}{
		{"the empty form is autosaved before the new message is typed", true},
		{"the new message is typed before any autosave", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			c, _ := slowServerComposer(t, dir, 2*time.Second, 200*time.Millisecond)
			typeMessage(c, "First")
			maybeDelivered(t, c)
			emptyForm(c)
			if tc.saveWhenEmpty {
				c.autosave()
				if d, _ := newDraftStore(dir).Load(); d != nil {
					t.Fatalf("the emptied form left a draft: %+v", d)
				}
			}
			test.Type(c.To, "bob@example.com")
			test.Type(c.Subject, "A new message")
			test.Type(c.Body, "Never sent.")
			c.autosave()
			if d := draftOnDisk(t, dir); d.Sending {
				t.Fatalf("a new message, never sent, is saved marked as possibly sent; the next start says: %q", restartNotice(t, dir))
			}
			if text := closeDialogText(c); !strings.Contains(text, "has not been sent") {
				t.Fatalf("closing the new message asks %q", text)
			}
		})
	}
}

// emptyForm deletes everything typed, as a person does by hand.
func emptyForm(c *Composer) {
	for _, e := range []*widget.Entry{&c.To.Entry, c.Subject, c.Body} {
		e.SetText("")
	}
}

// closeDialogText is what closing c's window asks; the dialog is left open.
func closeDialogText(c *Composer) string {
	c.closeRequested()
	return dialogText(c.Window.Canvas().Overlays().Top())
}

// ATTACK2 item 6: after "may have been delivered" the close dialog said
// "This message has not been sent", next to Discard.
func TestClosingAMessageThatMayHaveBeenDeliveredDoesNotSayItWasNotSent(t *testing.T) {
	dir := t.TempDir()
	c, _ := slowServerComposer(t, dir, 2*time.Second, 200*time.Millisecond)
	typeMessage(c, "Close")
	maybeDelivered(t, c)
	text := closeDialogText(c)
	if strings.Contains(text, "has not been sent") || !strings.Contains(text, "may already have been delivered") {
		t.Fatalf("closing a possibly-sent message asks: %q", text)
	}
}

// ATTACK2 item 7: a message delivered while the person fixed a typo in it
// stayed as an unmarked draft; the next start called it "Your unsent draft
// … was restored", and Send sent it again without a word.
func TestEditsDuringASuccessfulSendComeBackAsChangesToASentMessage(t *testing.T) {
	dir := t.TempDir()
	c, srv := slowServerComposer(t, dir, 500*time.Millisecond, 0)
	typeMessage(c, "Typo")
	done := sendsDone(c)
	c.TrySend()
	waitFor(t, "the final reply to be awaited", func() bool {
		return c.panel != nil && c.panel.StepState(smtpclient.StepMessage) == "running"
	})
	test.Type(c.Body, " Fixed typo.")
	waitDone(t, done)
	waitMessages(t, srv, 1)

	if d := draftOnDisk(t, dir); d.SentEarlier.IsZero() || d.Sending || !strings.HasSuffix(d.Body, "Fixed typo.") {
		t.Fatalf("the draft after a send accepted during edits: %+v; want the edits, with the time the earlier version was sent", d)
	}
	if text := closeDialogText(c); strings.Contains(text, "has not been sent.") || !strings.Contains(text, "An earlier version of this message was sent") {
		t.Fatalf("closing asks %q", text)
	}
	c2, sent := newTestComposer(t, dir)
	notice := c2.Notice.Text
	if strings.Contains(notice, "Your unsent draft") || !strings.Contains(notice, "An earlier version of this message was sent on") {
		t.Fatalf("a message the server accepted (edited during the send) comes back as: %q", notice)
	}
	c2.TrySend()
	if len(*sent) != 0 {
		t.Fatal("Send sent the changed version of a sent message without asking")
	}
	if text := dialogText(c2.Window.Canvas().Overlays().Top()); !strings.Contains(text, "send this version too?") {
		t.Fatalf("Send asks %q", text)
	}
	tapButton(t, c2.Window, "Back to the message")
	// Emptied, the form holds a new message again.
	emptyForm(c2)
	typeMessage(c2, "New")
	c2.TrySend()
	if len(*sent) != 1 {
		t.Fatalf("a new message in the emptied form was not sent at once (%d sends)", len(*sent))
	}
}

// ATTACK2 "Also": when the draft could not be marked as being sent, the
// send went on silently; a Stamp killed during it would have brought the
// message back as an unsent draft.
func TestAFailedDraftSaveWhenSendingStartsIsToldAndTheSendWaitsForThePerson(t *testing.T) {
	dir := t.TempDir()
	c, sent := newTestComposer(t, dir)
	// Drafts is a file, not a folder: no draft can be saved (as root,
	// permissions would not stop the write).
	if err := os.WriteFile(filepath.Join(dir, "Drafts"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	typeMessage(c, "Disk")
	c.TrySend()
	if len(*sent) != 0 || c.sending {
		t.Fatal("the send started although the draft could not be marked as being sent")
	}
	text := dialogText(c.Window.Canvas().Overlays().Top())
	if !strings.Contains(text, "could not record in your drafts that this message is being sent") || !strings.Contains(text, "save the draft") {
		t.Fatalf("the person is told %q", text)
	}
	tapButton(t, c.Window, "Back to the message")
	if len(*sent) != 0 {
		t.Fatal("\"Back to the message\" sent it")
	}
	c.TrySend()
	tapButton(t, c.Window, "Send anyway")
	if len(*sent) != 1 || !c.sending {
		t.Fatalf("\"Send anyway\" did not send (%d sends)", len(*sent))
	}
}
