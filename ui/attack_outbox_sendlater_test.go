package ui

import (
	"strings"
	"testing"
	"time"

	"stamp/smtpclient/sandbox"
)

// Finding 3: Send later's quick choices are computed once, when the
// dialog opens ("In an hour (15:05)"), and are not checked when chosen.
// Left open past that time (the person went to lunch), the choice puts a
// time already past into the outbox, which then sends the message after
// the mere undo delay: the person asked for "later" and it leaves now.
// The test does what the stale button does (choose(at): sendAt, then
// TrySend) with the time the button holds, a minute in the past, since
// the test cannot wait an hour with the dialog open.
func TestAttackAStaleSendLaterQuickChoiceSendsAtOnce(t *testing.T) {
	_, cfg := plainServer(t, sandbox.Options{})
	r := newOutboxRig(t, t.TempDir(), 10*time.Second, cfg, false)
	c := r.c
	typeMessage(c, "Later please")
	opened := time.Now().Add(-61 * time.Minute) // when the dialog was opened
	hour, _, _ := quickTimes(opened)            // "In an hour (…)", as its button holds it
	c.sendAt = hour
	c.TrySend()
	drainUI()
	if c.sending {
		waitFor(t, "the queueing to end", func() bool { return !c.sending })
	}
	if got := r.u.Waiting(); len(got) != 0 {
		t.Fatalf("a Send later choice whose time had passed was queued as %s, leaving at %s (in %v): sent now instead of later, without a word",
			got[0].State, got[0].NextAttempt.Format(time.TimeOnly), time.Until(got[0].NextAttempt).Round(time.Second))
	}
	top := c.Window.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(dialogText(top), "has passed") {
		t.Fatalf("the refusal said %q", dialogText(top))
	}
	if c.Subject.Text != "Later please" {
		t.Fatalf("the form was not kept: subject %q", c.Subject.Text)
	}
}
