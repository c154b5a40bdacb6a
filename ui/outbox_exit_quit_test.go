package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"stamp/smtpclient/sandbox"
)

// "Quit — sent at the next start" stays offered while "Send them now"
// runs (a slow server never traps the person), and the close it starts
// runs once: the end of the sends does not run it again.
func TestExitQuitDuringSendThemNowEndsOnce(t *testing.T) {
	_, c, u, srv, stops, top := sendThemNowSlowly(t)
	quit := findButton(top, "Quit — they will be sent at the next start")
	if quit == nil || quit.Disabled() {
		t.Fatal("Quit is not offered while the sends run")
	}
	test.Tap(quit)
	if !c.closed || *stops != 1 {
		t.Fatalf("Quit during the sends: closed %v, Stamp ended %d times", c.closed, *stops)
	}
	waitFor(t, "the send under way to finish", func() bool { return len(srv.Messages()) == 1 })
	u.Stop(10 * time.Second)
	drainUI()
	if *stops != 1 {
		t.Fatalf("Stamp ended %d times: the sends' end ran the close again", *stops)
	}
}

// sendThemNowSlowly closes the last composer with one message queued for
// a slow server (its final reply takes 1.5 s) and answers the exit
// question with "Send them now": the question stays up while the send
// runs. It returns the data folder, the composer, the outbox, the server,
// how often Stamp ended, and the question.
func sendThemNowSlowly(t *testing.T) (string, *Composer, *Outbox, *sandbox.Server, *int, fyne.CanvasObject) {
	t.Helper()
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
	return dir, c, u, srv, stops, top
}
