package ui

import (
	"os"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"stamp/smtpclient/sandbox"
)

// Finding 2: Undo brings back the attachment's path, not what was sent.
// The queued .eml holds the file's bytes, but Take deletes it; when the
// file was moved or removed during the undo delay ("sent, so I tidy the
// folder"), the message comes back without its attachment and nothing
// anywhere still holds it.
func TestAttackUndoAfterTheAttachedFileWentAwayLosesTheAttachment(t *testing.T) {
	srv, cfg := plainServer(t, sandbox.Options{})
	r := newOutboxRig(t, t.TempDir(), 30*time.Second, cfg, true)
	c := r.c
	att := writeFile(t, t.TempDir(), "plan.pdf", []byte("%PDF-1.4 the only copy"))
	typeMessage(c, "The plan")
	c.AttachFiles(att)
	c.TrySend()
	waitFor(t, "the undo bar", func() bool { return c.undoBar.Visible() })
	if err := os.Remove(att); err != nil { // the person tidies up after Send
		t.Fatal(err)
	}
	test.Tap(c.undoButton)
	waitFor(t, "the message back in the composer", func() bool { return c.Subject.Text == "The plan" })
	if n := len(queuedIDs(t, r.data)); n != 0 {
		t.Fatalf("the outbox still holds %d", n)
	}
	c.Attachments.Recheck()
	c.validate()
	if reason := c.blocker(); reason != "" {
		t.Fatalf("after Undo the message that was ready to send cannot be sent any more (%s): the attachment's bytes were in the outbox and Undo threw them away", reason)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("the server received %d", n)
	}
}
