package ui

import (
	"strings"
	"testing"

	"stamp/instance"
)

// Found by the third review: trySend builds the message (m) when Send is pressed, but the
// send records what went out (sendingDraft) only after "Before sending" is
// answered. A file handed over by a later start (stamp FILE, "Attach") while
// that question is open lands in the form, not in m: the message goes out
// without it, yet the form now equals sendingDraft, so the success clears
// the form and the draft: the person is told the message was sent, and the
// attachment they accepted is gone from Stamp without ever being sent.
func TestAFileAttachedWhileAskedIsNotClearedAsIfSent(t *testing.T) {
	dir := t.TempDir()
	c, got := newTestComposer(t, dir)
	file := writeFile(t, t.TempDir(), "contract.pdf", []byte("%PDF-1.4 the contract"))
	c.To.SetText("ann@example.com")
	c.Body.SetText("no subject, so Stamp asks before sending")
	c.TrySend() // "Before sending: The subject is empty."
	if !c.confirming {
		t.Fatal("no question before sending")
	}
	// A later start hands a file over; the person answers Attach.
	Receive(c, []instance.Arg{{Kind: instance.File, Value: file}})
	tapButton(t, c.Window, "Attach")
	if n := len(c.Attachments.Paths()); n != 1 {
		t.Fatalf("%d attachments in the form after Attach, want 1", n)
	}
	tapButton(t, c.Window, "Send anyway")
	if len(*got) != 1 {
		t.Fatalf("sent %d times, want once", len(*got))
	}
	sentAttachments := len((*got)[0].msg.Attachments)
	c.SendFinished(Sent)
	if sentAttachments == 0 && len(c.Attachments.Paths()) == 0 {
		t.Errorf("the message went out without contract.pdf (attached while Stamp asked), and the success cleared it from the form and the draft as if it had been sent")
	}
}

// Found by the third review: closing Stamp during a send promises "The message stays in
// your drafts, marked as possibly sent." If the person had emptied the form
// meanwhile (to start the next message while a large one uploads), the
// close saves the empty form: the draft is removed and the mark forgotten.
// The message that may have gone out (c.sendingDraft) is nowhere: no draft,
// no Sent copy (the send was stopped), and the next start says nothing.
func TestClosingDuringASendAfterEmptyingTheFormKeepsTheMessageMarked(t *testing.T) {
	dir := t.TempDir()
	c, got := newTestComposer(t, dir) // its send never ends, as a slow upload
	c.To.SetText("ann@example.com")
	c.Subject.SetText("Closing")
	c.Body.SetText("the quarterly figures")
	c.TrySend()
	if len(*got) != 1 || !c.sending {
		t.Fatal("the send did not start")
	}
	emptyForm(c) // the next message starts here
	c.closeRequested()
	tapButton(t, c.Window, "Yes") // "Closing Stamp now stops the send. The message stays in your drafts, marked as possibly sent."
	d, err := newDraftStore(dir).Load()
	if err != nil || d == nil || !d.Sending || d.Subject != "Closing" {
		t.Errorf("after the promise, the draft on disk is %+v (err %v): the message that may have been delivered is gone, unmarked", d, err)
	}
}

// Found by the third review: the same through the autosave: markSending wrote the draft
// marked "sending" so that a Stamp killed during the send warns at the next
// start. Emptying the form during the send and the autosave that follows
// remove that draft; a crash or kill before the send ends then leaves no
// trace of a message that may have been delivered.
func TestAnAutosaveOfAFormEmptiedDuringASendKeepsTheSendingMark(t *testing.T) {
	dir := t.TempDir()
	c, got := newTestComposer(t, dir)
	c.To.SetText("ann@example.com")
	c.Subject.SetText("Crash")
	c.Body.SetText("the quarterly figures")
	c.TrySend()
	if len(*got) != 1 || !c.sending {
		t.Fatal("the send did not start")
	}
	if d := draftOnDisk(t, dir); !d.Sending {
		t.Fatal("markSending did not mark the draft")
	}
	emptyForm(c)
	c.autosave() // the timer's save, a second later
	// Stamp is killed here, the send still under way.
	d, err := newDraftStore(dir).Load()
	if err != nil || d == nil || !d.Sending {
		t.Errorf("the draft on disk is %+v (err %v): after a kill now, the next start would not warn about a message that may have been delivered", d, err)
	}
}

// A form emptied during a send that then succeeds holds no changed version
// to keep: the send does not say "the changed version stays here as a
// draft", and no draft is left.
func TestASuccessAfterTheFormWasEmptiedKeepsNoDraft(t *testing.T) {
	dir := t.TempDir()
	c, got := newTestComposer(t, dir)
	c.To.SetText("ann@example.com")
	c.Subject.SetText("Emptied")
	c.Body.SetText("the quarterly figures")
	c.TrySend()
	if len(*got) != 1 || !c.sending {
		t.Fatal("the send did not start")
	}
	emptyForm(c)
	c.autosave()
	if c.SendFinished(Sent) {
		t.Errorf("an emptied form is reported as edits kept as a draft")
	}
	if d, err := newDraftStore(dir).Load(); err != nil || d != nil {
		t.Errorf("after the success the draft on disk is %+v (err %v), want none", d, err)
	}
}

// A form emptied during a send that then fails, or ends without the
// server's word, must not lose the message: it comes back into the form
// (marked as possibly sent when that is what happened) and into the draft.
func TestAFormEmptiedDuringASendThatDidNotSurelyArriveGetsTheMessageBack(t *testing.T) {
	for _, tc := range []struct {
		name    string
		outcome SendOutcome
		marked  bool
		notice  string
	}{
		{"not sent", NotSent, false, "was not sent, so it is back in the form"},
		{"possibly sent", MaybeSent, true, "stays marked as possibly sent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			c, got := newTestComposer(t, dir)
			c.To.SetText("ann@example.com")
			c.Subject.SetText("Figures")
			c.Body.SetText("the quarterly figures")
			c.TrySend()
			if len(*got) != 1 || !c.sending {
				t.Fatal("the send did not start")
			}
			emptyForm(c)
			c.autosave()
			c.SendFinished(tc.outcome)
			if c.Subject.Text != "Figures" || c.Body.Text != "the quarterly figures" || c.To.Text != "ann@example.com" {
				t.Errorf("the form after the send: to=%q subject=%q body=%q; want the message back", c.To.Text, c.Subject.Text, c.Body.Text)
			}
			if !strings.Contains(c.Notice.Text, tc.notice) {
				t.Errorf("notice = %q, want it to say %q", c.Notice.Text, tc.notice)
			}
			d, err := newDraftStore(dir).Load()
			if err != nil || d == nil || d.Subject != "Figures" || d.Sending != tc.marked {
				t.Errorf("the draft on disk is %+v (err %v); want the message, marked as possibly sent: %v", d, err, tc.marked)
			}
		})
	}
}
