package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"stamp/smtpclient/sandbox"
)

// "Quit — sent at the next start" stays offered while "Send them now"
// runs (a slow server never traps the person), and the close it starts
// runs once: the end of the sends does not run it again.
func TestExitQuitDuringSendThemNowEndsOnce(t *testing.T) {
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
