package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"stamp/outbox"
	"stamp/smtpclient"
	"stamp/smtpclient/sandbox"
)

// newComposersOutbox is the app's wiring of several composers sharing one
// outbox: a real outbox folder in dir and a real server on 127.0.0.1; the
// scheduler runs (a "running Stamp").
func newComposersOutbox(t *testing.T, dir string, delay time.Duration) (*Composers, *Outbox, *sandbox.Server, *int) {
	t.Helper()
	return composersOutbox(t, dir, delay, sandbox.Options{})
}

// composersOutbox is newComposersOutbox with a server of the given options
// (a slow one, say).
func composersOutbox(t *testing.T, dir string, delay time.Duration, opts sandbox.Options) (*Composers, *Outbox, *sandbox.Server, *int) {
	t.Helper()
	srv, cfg := plainServer(t, opts)
	a := test.NewTempApp(t)
	a.Preferences().SetInt(prefUndoDelay, int(delay/time.Second))
	u, err := NewOutbox(a, OutboxOptions{
		Dir: filepath.Join(dir, "Outbox"), SentDir: filepath.Join(dir, "Sent"),
		Send: outbox.SenderFunc(func(ctx context.Context, _ string, env smtpclient.Envelope, msg smtpclient.Message, onEvent func(smtpclient.Event)) (*smtpclient.Result, error) {
			return smtpclient.Send(ctx, cfg(), env, msg, onEvent)
		}),
		Describe:       func(string) smtpclient.Config { return cfg() },
		NetworkChanges: func(context.Context) <-chan struct{} { return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	s := NewComposers(a, Options{DataDir: dir, Senders: func() []Sender { return []Sender{testSender} }, Outbox: u})
	stops := new(int)
	s.lastClosed = func() { *stops++ }
	u.Start()
	t.Cleanup(func() {
		if !u.Stop(10 * time.Second) {
			t.Error("an outbox send was still under way 10 s after the test")
		}
		if !s.Wait(10 * time.Second) {
			t.Error("a queueing was still under way 10 s after the test")
		}
		if s.menuTimer != nil {
			s.menuTimer.Stop()
		}
		for _, c := range s.all {
			if c.timer != nil {
				c.timer.Stop()
			}
		}
	})
	return s, u, srv, stops
}

// queueFrom sends a message with subject from c and waits until the outbox
// holds n messages and c's form is empty.
func queueFrom(t *testing.T, c *Composer, dir, subject string, n int) {
	t.Helper()
	typeMessage(c, subject)
	c.TrySend()
	waitFor(t, "the message in the outbox", func() bool { return len(queuedIDs(t, dir)) == n && c.draft().Empty() && !c.sending })
}

func TestEveryOpenComposerShowsTheCountAndAClosedOneHearsNothingMore(t *testing.T) {
	dir := t.TempDir()
	s, u, srv, _ := newComposersOutbox(t, dir, 60*time.Second)
	a := s.Start(nil)
	b := s.NewComposer()
	queueFrom(t, a, dir, "Counted", 1)
	for _, c := range []*Composer{a, b} {
		waitFor(t, "the count in every composer", func() bool { return strings.Contains(c.Window.Title(), "1 waiting") })
	}
	if !b.undoBar.Hidden || a.undoBar.Hidden {
		t.Fatal("the undo bar must show in the composer that sent the message, and only there")
	}
	heard := 0
	b.afterQueue = func(outbox.Change) { heard++ }
	b.closeRequested() // empty, and not the last: it just closes
	if !b.closed || len(s.Open()) != 1 {
		t.Fatal("closing an empty composer that is not the last did not close it")
	}
	if top := a.Window.Canvas().Overlays().Top(); top != nil {
		t.Fatalf("closing a composer that is not the last asked: %s", dialogText(top))
	}
	if len(u.listeners) != 1 {
		t.Fatalf("%d outbox listeners after one of two composers closed, want 1", len(u.listeners))
	}
	u.sendNow(outbox.Record{ID: queuedIDs(t, dir)[0], Account: SandboxID}, a.Window, false)
	waitFor(t, "the send", func() bool { return len(srv.Messages()) == 1 && a.Window.Title() == Title })
	if heard != 0 {
		t.Fatalf("the closed composer heard %d outbox changes", heard)
	}
}

func TestUndoComesBackIntoTheSenderWhenEmptyElseIntoANewComposer(t *testing.T) {
	dir := t.TempDir()
	s, _, srv, _ := newComposersOutbox(t, dir, 60*time.Second)
	a := s.Start(nil)
	queueFrom(t, a, dir, "First try", 1)
	test.Tap(a.undoButton)
	waitFor(t, "the message back in its composer", func() bool { return a.Subject.Text == "First try" && len(queuedIDs(t, dir)) == 0 })
	if len(s.Open()) != 1 {
		t.Fatalf("%d composers open after Undo into an empty sender, want 1", len(s.Open()))
	}

	// Sent again, then the person starts another message: Undo must not
	// overwrite it, the queued one comes back in a window of its own.
	a.TrySend()
	waitFor(t, "the message in the outbox again", func() bool { return len(queuedIDs(t, dir)) == 1 && a.draft().Empty() && !a.sending })
	test.Type(a.Subject, "Something else")
	test.Tap(a.undoButton)
	waitFor(t, "a new composer with the message", func() bool { return len(s.Open()) == 2 })
	back := s.Front()
	if back == a || back.Subject.Text != "First try" || !strings.Contains(back.Body.Text, "Hello") {
		t.Fatalf("the new composer holds %q / %q", back.Subject.Text, back.Body.Text)
	}
	if a.Subject.Text != "Something else" {
		t.Fatalf("Undo overwrote the message being written: %q", a.Subject.Text)
	}
	if len(queuedIDs(t, dir)) != 0 || len(srv.Messages()) != 0 {
		t.Fatal("the message stayed queued or reached the server")
	}
	back.autosave()
	a.autosave()
	if got := strings.Join(draftFiles(t, dir), "|"); got != "First try|Something else" {
		t.Fatalf("drafts on disk %q, want one per message", got)
	}
}

func TestEditFromTheOutboxWindowNeverOverwritesAnotherMessage(t *testing.T) {
	dir := t.TempDir()
	s, u, _, _ := newComposersOutbox(t, dir, 60*time.Second)
	a := s.Start(nil)
	queueFrom(t, a, dir, "To edit", 1)
	b := s.NewComposer()
	test.Type(b.Subject, "Busy")
	test.Type(a.Subject, "Busy too")
	w := u.showWindow(b)
	test.Tap(findButton(w.Window.Content(), "Edit"))
	waitFor(t, "a new composer with the message", func() bool { return len(s.Open()) == 3 })
	if c := s.Front(); c.Subject.Text != "To edit" {
		t.Fatalf("the new composer holds %q", c.Subject.Text)
	}
	if a.Subject.Text != "Busy too" || b.Subject.Text != "Busy" {
		t.Fatal("Edit overwrote a message being written")
	}
}

func TestQuitWithSeveralComposersAsksAboutTheOutboxOnceThenTheDrafts(t *testing.T) {
	dir := t.TempDir()
	s, u, srv, stops := newComposersOutbox(t, dir, 60*time.Second)
	a := s.Start(nil)
	queueFrom(t, a, dir, "Waiting", 1)
	b := s.NewComposer()
	write(b, "Unsent draft", "Later.")
	s.Quit()
	top := b.Window.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(dialogText(top), "waiting in the Outbox") {
		t.Fatal("Quit with several composers did not ask about the waiting message")
	}
	test.Tap(findButton(top, "Quit — they will be sent at the next start"))
	top = b.Window.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(dialogText(top), "Unsent draft") || strings.Contains(dialogText(top), "waiting in the Outbox") {
		t.Fatal("after the outbox question, Quit did not ask about the unsent draft")
	}
	test.Tap(findButton(top, "Keep drafts and quit"))
	if len(s.Open()) != 0 || *stops != 1 {
		t.Fatalf("%d composers open, the app ended %d times", len(s.Open()), *stops)
	}
	if !u.Stop(10 * time.Second) {
		t.Fatal("the outbox did not stop")
	}
	if len(queuedIDs(t, dir)) != 1 || len(srv.Messages()) != 0 {
		t.Fatal("the waiting message was lost or sent")
	}
	if got := strings.Join(draftFiles(t, dir), "|"); got != "Unsent draft" {
		t.Fatalf("drafts %q", got)
	}
}

func TestClosingTheLastComposerAsksAboutTheOutboxAndSendNowSends(t *testing.T) {
	dir := t.TempDir()
	s, _, srv, stops := newComposersOutbox(t, dir, 60*time.Second)
	a := s.Start(nil)
	b := s.NewComposer()
	queueFrom(t, b, dir, "Send me", 1)
	write(a, "Keep me", "Draft.")
	b.closeRequested() // not the last: no outbox question
	if !b.closed {
		t.Fatalf("closing the empty non-last composer asked: %s", dialogText(b.Window.Canvas().Overlays().Top()))
	}
	a.closeRequested() // the last
	top := a.Window.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(dialogText(top), "waiting in the Outbox") {
		t.Fatal("closing the last composer did not ask about the waiting message")
	}
	test.Tap(findButton(top, "Send them now"))
	waitFor(t, "the draft question after the sends", func() bool {
		top := a.Window.Canvas().Overlays().Top()
		return top != nil && findButton(top, "Save draft") != nil
	})
	if len(srv.Messages()) != 1 || len(queuedIDs(t, dir)) != 0 {
		t.Fatal("Send them now did not send the waiting message")
	}
	test.Tap(findButton(a.Window.Canvas().Overlays().Top(), "Save draft"))
	if *stops != 1 {
		t.Fatal("the app did not end")
	}
	if got := strings.Join(draftFiles(t, dir), "|"); got != "Keep me" {
		t.Fatalf("drafts %q", got)
	}
}
