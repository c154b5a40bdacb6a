package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"stamp/outbox"
	"stamp/smtpclient"
	"stamp/smtpclient/sandbox"
)

// outboxRig is a composer wired like the app with an outbox: a real outbox
// folder, its scheduler, and a real server on 127.0.0.1.
type outboxRig struct {
	c    *Composer
	u    *Outbox
	data string
	a    fyne.App
}

// newOutboxRig opens the outbox of data with an undo delay of delay and
// a composer on it; cfg says how to reach the server. start runs the
// scheduler (a "running Stamp"); without it nothing leaves by itself.
func newOutboxRig(t *testing.T, data string, delay time.Duration, cfg func() smtpclient.Config, start bool, backoff ...time.Duration) *outboxRig {
	t.Helper()
	a := test.NewTempApp(t)
	a.Preferences().SetInt(prefUndoDelay, int(delay/time.Second))
	u, err := NewOutbox(a, OutboxOptions{
		Dir: filepath.Join(data, "Outbox"), SentDir: filepath.Join(data, "Sent"),
		Send: outbox.SenderFunc(func(ctx context.Context, _ string, env smtpclient.Envelope, msg smtpclient.Message, onEvent func(smtpclient.Event)) (*smtpclient.Result, error) {
			return smtpclient.Send(ctx, cfg(), env, msg, onEvent)
		}),
		Describe: func(string) smtpclient.Config { return cfg() },
		Backoff:  backoff,
		// No OS network watch in tests: the retry comes from the back-off.
		NetworkChanges: func(context.Context) <-chan struct{} { return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	c := NewComposer(a, Options{DataDir: data, Senders: func() []Sender { return []Sender{testSender} }, Outbox: u})
	if start {
		u.Start()
	}
	t.Cleanup(func() {
		if !u.Stop(10 * time.Second) {
			t.Error("an outbox send was still under way 10 s after the test")
		}
		if !c.Wait(10 * time.Second) {
			t.Error("a queueing was still under way 10 s after the test")
		}
		if c.timer != nil {
			c.timer.Stop()
		}
	})
	return &outboxRig{c: c, u: u, data: data, a: a}
}

// plainServer is a plain-text sandbox server on 127.0.0.1.
func plainServer(t *testing.T, opts sandbox.Options) (*sandbox.Server, func() smtpclient.Config) {
	t.Helper()
	srv, err := sandbox.Start(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv, func() smtpclient.Config {
		return smtpclient.Config{Host: srv.Host(), Port: srv.Port(), Security: smtpclient.SecurityNone}
	}
}

// notices collects the composer's notices about the outbox.
func notices(c *Composer) <-chan outbox.Change {
	ch := make(chan outbox.Change, 64)
	c.afterQueue = func(x outbox.Change) { ch <- x }
	return ch
}

// queue sends a message with subject from the composer and waits until it
// is the one message in the outbox and the form is empty; it returns its ID.
func (r *outboxRig) queue(t *testing.T, subject string) string {
	t.Helper()
	typeMessage(r.c, subject)
	r.c.TrySend()
	waitFor(t, "the message in the outbox", func() bool { return len(queuedIDs(t, r.data)) == 1 && r.c.draft().Empty() })
	return queuedIDs(t, r.data)[0]
}

// waitChange waits for the first change that done accepts.
func waitChange(t *testing.T, seen <-chan outbox.Change, what string, done func(outbox.Change) bool) outbox.Change {
	t.Helper()
	for {
		if ch := waitRecv(t, seen, what); done(ch) {
			return ch
		}
	}
}

// queuedIDs lists the IDs whose record is on disk in the outbox folder.
func queuedIDs(t *testing.T, data string) []string {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(data, "Outbox", "*.json"))
	var ids []string
	for _, n := range names {
		ids = append(ids, strings.TrimSuffix(filepath.Base(n), ".json"))
	}
	return ids
}

func TestUndoWithinTheDelayBringsTheMessageBackWithItsAttachmentsAndNothingReachesTheServer(t *testing.T) {
	srv, cfg := plainServer(t, sandbox.Options{})
	r := newOutboxRig(t, t.TempDir(), 30*time.Second, cfg, true)
	c := r.c
	c.SetShowCcBcc(true)
	att := writeFile(t, t.TempDir(), "plan.pdf", []byte("%PDF-1.4 plan"))
	test.Type(c.To, "Ann <ann@example.com>")
	test.Type(c.Bcc, "boss@example.com")
	test.Type(c.Subject, "The plan")
	test.Type(c.Body, "Attached, the plan.")
	c.AttachFiles(att)
	before := c.draft()

	c.TrySend()
	waitFor(t, "the undo bar", func() bool { return c.undoBar.Visible() })
	if !strings.HasPrefix(c.undoLabel.Text, "Sending in ") || c.undoButton.Text != "Undo" {
		t.Fatalf("undo bar says %q / %q", c.undoLabel.Text, c.undoButton.Text)
	}
	if !c.draft().Empty() {
		t.Fatalf("the composer still holds the message after Send: %+v", c.draft())
	}
	if ids := queuedIDs(t, r.data); len(ids) != 1 {
		t.Fatalf("outbox holds %d messages, want 1", len(ids))
	}
	if c.Window.Title() != "Stamp — 1 waiting" {
		t.Fatalf("window title %q", c.Window.Title())
	}

	test.Tap(c.undoButton)
	waitFor(t, "the message back in the composer", func() bool { return c.Subject.Text == "The plan" })
	if got := c.draft(); !got.sameContent(before) {
		t.Fatalf("restored %+v, want %+v", got, before)
	}
	if got := c.Attachments.Paths(); len(got) != 1 || got[0] != att {
		t.Fatalf("attachments after Undo: %v", got)
	}
	if ids := queuedIDs(t, r.data); len(ids) != 0 {
		t.Fatalf("the outbox still holds %v after Undo", ids)
	}
	if c.undoBar.Visible() || c.Window.Title() != Title {
		t.Fatalf("after Undo: bar visible %v, title %q", c.undoBar.Visible(), c.Window.Title())
	}
	// The draft is on disk too: a crash now loses nothing.
	if d, err := c.drafts.Load(); err != nil || d == nil || d.Subject != "The plan" || len(d.Attachments) != 1 {
		t.Fatalf("saved draft after Undo: %+v, %v", d, err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("the server received %d messages", n)
	}
}

func TestAfterTheDelayTheMessageArrivesOnceAndTheComposerSaysSent(t *testing.T) {
	srv, cfg := plainServer(t, sandbox.Options{})
	r := newOutboxRig(t, t.TempDir(), time.Second, cfg, true)
	c := r.c
	seen := notices(c)
	test.Type(c.To, "ann@example.com")
	test.Type(c.Subject, "Über the delay")
	test.Type(c.Body, "It waited a second.")
	c.TrySend()
	if ch := waitChange(t, seen, "the message to leave the outbox", func(ch outbox.Change) bool { return ch.Removed }); ch.Record.State != outbox.Sent {
		t.Fatalf("left the outbox as %s", ch.Record.State)
	}
	if !strings.HasPrefix(c.Notice.Text, "Sent: “Über the delay”") {
		t.Fatalf("notice %q", c.Notice.Text)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("the server received %d messages, want 1", len(msgs))
	}
	mr, err := gomail.CreateReader(bytes.NewReader(msgs[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := mr.Header.Subject(); s != "Über the delay" {
		t.Fatalf("subject %q", s)
	}
	p, err := mr.NextPart()
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(p.Body)
	if !strings.Contains(string(body), "It waited a second.") {
		t.Fatalf("body %q", body)
	}
	if ids := queuedIDs(t, r.data); len(ids) != 0 || c.Window.Title() != Title {
		t.Fatalf("after the send: outbox %v, title %q", ids, c.Window.Title())
	}
}

func TestAScheduledMessagePastItsTimeAtTheNextStartIsSentAndSaysItLeftLate(t *testing.T) {
	srv, cfg := plainServer(t, sandbox.Options{})
	data := t.TempDir()
	first := newOutboxRig(t, data, 10*time.Second, cfg, false) // Stamp runs, but the time is tomorrow
	c := first.c
	test.Type(c.To, "ann@example.com")
	test.Type(c.Subject, "Good morning")
	test.Type(c.Body, "Scheduled.")
	_, tomorrow, _ := quickTimes(time.Now())
	c.sendAt = tomorrow
	c.TrySend()
	waitFor(t, "the scheduled notice", func() bool { return strings.HasPrefix(c.Notice.Text, "Scheduled:") })
	ids := queuedIDs(t, data)
	if len(ids) != 1 || !c.draft().Empty() {
		t.Fatalf("outbox %v, form %+v", ids, c.draft())
	}
	// Stamp quits; the computer sleeps through the morning: the record on
	// disk says the time passed ten minutes ago.
	path := filepath.Join(data, "Outbox", ids[0]+".json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rec map[string]any
	json.Unmarshal(raw, &rec)
	if rec["state"] != string(outbox.Scheduled) {
		t.Fatalf("queued as %v", rec["state"])
	}
	past := time.Now().Add(-10 * time.Minute).UTC().Format(time.RFC3339Nano)
	rec["scheduled"], rec["next_attempt"] = past, past
	raw, _ = json.Marshal(rec)
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}

	next := newOutboxRig(t, data, 10*time.Second, cfg, false) // the next start
	seen := notices(next.c)
	next.u.Start()
	waitChange(t, seen, "the scheduled message to leave", func(ch outbox.Change) bool { return ch.Removed })
	if !strings.Contains(next.c.Notice.Text, "left late") {
		t.Fatalf("notice %q does not say it left late", next.c.Notice.Text)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("the server received %d messages", n)
	}
}

func TestA550NeedsAttentionInTheOutboxWindowAndTheComposerSaysSo(t *testing.T) {
	srv, cfg := plainServer(t, sandbox.Options{RejectData: &sandbox.Reply{Code: 550, Enhanced: "5.7.1", Text: "Message refused by policy"}})
	r := newOutboxRig(t, t.TempDir(), 0, cfg, true)
	c := r.c
	seen := notices(c)
	typeMessage(c, "Refused")
	c.TrySend()
	waitChange(t, seen, "the refusal", func(ch outbox.Change) bool { return ch.Record.State == outbox.NeedsAttention })
	if !strings.Contains(c.Notice.Text, "needs your attention") {
		t.Fatalf("notice %q", c.Notice.Text)
	}
	if p := r.u.panel; p == nil || !strings.Contains(p.Outcome.Text, "Not sent") || !strings.Contains(p.Outcome.Text, "It waits in the Outbox") {
		t.Fatal("the send panel did not show the refusal and what happens next")
	}
	w := r.u.showWindow(c)
	text := dialogText(w.Window.Content())
	for _, want := range []string{"Refused", "Needs attention", "Last error:"} {
		if !strings.Contains(text, want) {
			t.Fatalf("Outbox window lacks %q:\n%s", want, text)
		}
	}
	if findButton(w.Window.Content(), "Retry") == nil || findButton(w.Window.Content(), "Delete") == nil {
		t.Fatal("no Retry or Delete in the Outbox window")
	}
	if list := r.u.Waiting(); len(list) != 1 || list[0].Attempts != 1 {
		t.Fatalf("outbox holds %+v, want 1 message tried once (no retry after a 550)", list)
	}
	// Delete asks first, then removes it.
	test.Tap(findButton(w.Window.Content(), "Delete"))
	test.Tap(findButton(w.Window.Canvas().Overlays().Top(), "Delete"))
	waitFor(t, "the message to be deleted", func() bool { return len(queuedIDs(t, r.data)) == 0 })
	waitFor(t, "the window to show an empty outbox", func() bool {
		return strings.Contains(dialogText(w.Window.Content()), "Nothing is waiting")
	})
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("the server kept %d messages", n)
	}
}

func TestWithTheServerDownTheMessageWaitsAndGoesOutByItselfOnceItIsBack(t *testing.T) {
	srv, _ := plainServer(t, sandbox.Options{})
	addr := srv.Addr()
	port := srv.Port()
	srv.Close() // down: connection refused
	cfg := func() smtpclient.Config {
		return smtpclient.Config{Host: "127.0.0.1", Port: port, Security: smtpclient.SecurityNone}
	}
	r := newOutboxRig(t, t.TempDir(), 0, cfg, true, 300*time.Millisecond, 300*time.Millisecond, 300*time.Millisecond)
	c := r.c
	seen := notices(c)
	typeMessage(c, "Patience")
	c.TrySend()
	waitChange(t, seen, "the failure", func(ch outbox.Change) bool { return ch.Record.State == outbox.Retrying })
	if !strings.Contains(c.Notice.Text, "could not be sent yet") {
		t.Fatalf("notice %q", c.Notice.Text)
	}
	if p := r.u.panel; p == nil || !strings.Contains(p.Outcome.Text, "Stamp tries again at") {
		t.Fatal("the send panel did not say that Stamp tries again")
	}
	back, err := sandbox.Start(context.Background(), sandbox.Options{Addr: addr})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { back.Close() })
	waitChange(t, seen, "the send once the server is back", func(ch outbox.Change) bool { return ch.Removed })
	if n := len(back.Messages()); n != 1 {
		t.Fatalf("the server received %d messages", n)
	}
}

func TestClosingWithAMessageWaitingOffersBothChoicesAndQuitLeavesItOnDisk(t *testing.T) {
	_, cfg := plainServer(t, sandbox.Options{})
	r := newOutboxRig(t, t.TempDir(), 60*time.Second, cfg, false)
	c := r.c
	id := r.queue(t, "Later")

	c.closeRequested()
	top := c.Window.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("closing with a waiting message asked nothing")
	}
	if !strings.Contains(dialogText(top), "waiting in the Outbox") {
		t.Fatalf("the question: %q", dialogText(top))
	}
	send := findButton(top, "Send them now")
	quit := findButton(top, "Quit — they will be sent at the next start")
	if send == nil || quit == nil || send.Disabled() {
		t.Fatalf("choices: send %v, quit %v", send, quit)
	}
	test.Tap(quit)
	for _, ext := range []string{".json", ".eml", ".draft"} {
		if _, err := os.Stat(filepath.Join(r.data, "Outbox", id+ext)); err != nil {
			t.Fatalf("after Quit: %v", err)
		}
	}
}

func TestSendLatersQuickChoices(t *testing.T) {
	// Friday 4 December 2026, 18:06.
	now := time.Date(2026, 12, 4, 18, 6, 0, 0, time.Local)
	hour, tomorrow, monday := quickTimes(now)
	if !hour.Equal(now.Add(time.Hour)) || tomorrow.Format("Mon 2 15:04") != "Sat 5 08:00" || monday.Format("Mon 2 15:04") != "Mon 7 08:00" {
		t.Fatalf("%v %v %v", hour, tomorrow, monday)
	}
	// On a Monday, "Monday morning" is the next one.
	_, _, monday = quickTimes(time.Date(2026, 12, 7, 7, 0, 0, 0, time.Local))
	if monday.Format("Mon 2 15:04") != "Mon 14 08:00" {
		t.Fatalf("from a Monday: %v", monday)
	}
	day := now
	if _, err := laterAt(&day, "25:00", now); err == nil {
		t.Fatal("25:00 accepted")
	}
	if _, err := laterAt(&day, "09:00", now); err == nil {
		t.Fatal("a time that has passed accepted")
	}
	if at, err := laterAt(&day, "21:30", now); err != nil || at.Hour() != 21 || at.Minute() != 30 {
		t.Fatalf("21:30: %v %v", at, err)
	}
}

func TestMayHaveBeenDeliveredAsksBeforeSendingAgain(t *testing.T) {
	srv, plain := plainServer(t, sandbox.Options{FinalReplyDelay: 1500 * time.Millisecond})
	timeout := 200 * time.Millisecond
	cfg := func() smtpclient.Config {
		c := plain()
		c.FinalReplyTimeout = timeout
		return c
	}
	r := newOutboxRig(t, t.TempDir(), 0, cfg, true)
	c := r.c
	seen := notices(c)
	typeMessage(c, "Unconfirmed")
	c.TrySend()
	waitChange(t, seen, "the unconfirmed send", func(ch outbox.Change) bool { return ch.Record.State == outbox.NeedsAttention })
	if !strings.Contains(c.Notice.Text, "may have been delivered") {
		t.Fatalf("notice %q", c.Notice.Text)
	}
	// The panel showed the send live and its end.
	if r.u.panel == nil || !strings.Contains(r.u.panel.Outcome.Text, "may have been delivered") {
		t.Fatal("the send panel did not show the unconfirmed send")
	}
	w := r.u.showWindow(c)
	if !strings.Contains(dialogText(w.Window.Content()), "may have been delivered") {
		t.Fatalf("window: %s", dialogText(w.Window.Content()))
	}
	test.Tap(findButton(w.Window.Content(), "Retry"))
	top := w.Window.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(dialogText(top), "arrive twice") {
		t.Fatal("Retry of a message that may have been delivered did not ask first")
	}
	if got := r.u.Waiting(); len(got) != 1 || got[0].Attempts != 1 {
		t.Fatalf("before the answer: %+v", got)
	}
	timeout = 0 // the server confirms this time
	test.Tap(findButton(top, "Send again"))
	waitChange(t, seen, "the second send", func(ch outbox.Change) bool { return ch.Removed })
	if n := len(srv.Messages()); n != 2 {
		t.Fatalf("the server received %d messages, want 2 (the person chose to send again)", n)
	}
}

func TestEditFromTheOutboxWindowAsksWhenTheComposerHoldsAMessage(t *testing.T) {
	_, cfg := plainServer(t, sandbox.Options{})
	r := newOutboxRig(t, t.TempDir(), 60*time.Second, cfg, false)
	c := r.c
	r.queue(t, "Queued one")
	test.Type(c.Subject, "Another one")
	w := r.u.showWindow(c)
	test.Tap(findButton(w.Window.Content(), "Edit"))
	top := c.Window.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(dialogText(top), "Replace the message") {
		t.Fatal("Edit replaced the composer's message without asking")
	}
	if c.Subject.Text != "Another one" || len(queuedIDs(t, r.data)) != 1 {
		t.Fatal("something changed before the answer")
	}
	test.Tap(findButton(top, "Yes"))
	waitFor(t, "the queued message in the composer", func() bool { return c.Subject.Text == "Queued one" })
	waitFor(t, "the outbox to be empty", func() bool { return len(queuedIDs(t, r.data)) == 0 })
}

func TestQuittingDuringASendLetsItFinishInsteadOfCuttingItShort(t *testing.T) {
	srv, cfg := plainServer(t, sandbox.Options{FinalReplyDelay: 700 * time.Millisecond})
	r := newOutboxRig(t, t.TempDir(), 0, cfg, true)
	c := r.c
	seen := notices(c)
	typeMessage(c, "Almost there")
	c.TrySend()
	waitChange(t, seen, "the send to start", func(ch outbox.Change) bool { return ch.Record.Stage == outbox.Data })
	if !r.u.Stop(10 * time.Second) {
		t.Fatal("Stop did not return within 10 s")
	}
	if ids := queuedIDs(t, r.data); len(ids) != 0 {
		t.Fatalf("after Stop the outbox still holds %v (the send was cut short)", ids)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("the server received %d messages", n)
	}
}

func TestSendLaterInAnHourSchedulesTheMessageAndTheDelaySettingKeepsOff(t *testing.T) {
	_, cfg := plainServer(t, sandbox.Options{})
	r := newOutboxRig(t, t.TempDir(), 10*time.Second, cfg, true)
	c := r.c
	typeMessage(c, "In an hour")
	c.ShowSendLater()
	top := c.Window.Canvas().Overlays().Top()
	var hour *widget.Button
	walk(top, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && strings.HasPrefix(b.Text, "In an hour (") {
			hour = b
		}
	})
	if hour == nil {
		t.Fatalf("no quick choice “In an hour”: %s", dialogText(top))
	}
	test.Tap(hour)
	waitFor(t, "the scheduled notice", func() bool { return strings.HasPrefix(c.Notice.Text, "Scheduled:") })
	list := r.u.Waiting()
	if len(list) != 1 || list[0].State != outbox.Scheduled || time.Until(list[0].NextAttempt) < 59*time.Minute || time.Until(list[0].NextAttempt) > time.Hour {
		t.Fatalf("outbox: %+v", list)
	}
	if !c.sendAt.IsZero() {
		t.Fatal("Send later's time stayed set for the next Send")
	}

	c.ShowUndoDelay()
	top = c.Window.Canvas().Overlays().Top()
	var sel *widget.Select
	walk(top, func(o fyne.CanvasObject) {
		if s, ok := o.(*widget.Select); ok {
			sel = s
		}
	})
	if sel == nil || sel.Selected != "10 seconds" {
		t.Fatalf("undo delay choice: %v", sel)
	}
	sel.SetSelected("Off: send at once")
	test.Tap(findButton(top, "Save"))
	if r.u.UndoDelay() != 0 {
		t.Fatalf("undo delay %v after choosing Off", r.u.UndoDelay())
	}
}

func TestWhenTheMessageCannotBeQueuedTheComposerKeepsItUnmarked(t *testing.T) {
	_, cfg := plainServer(t, sandbox.Options{})
	r := newOutboxRig(t, t.TempDir(), 10*time.Second, cfg, false)
	c := r.c
	// The outbox folder is gone and a file stands in its place: every
	// write into it fails (as on a full or read-only disk).
	dir := filepath.Join(r.data, "Outbox")
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, []byte("in the way"), 0o600); err != nil {
		t.Fatal(err)
	}
	typeMessage(c, "Stays here")
	before := c.draft()
	c.TrySend()
	waitFor(t, "the error", func() bool { return c.Window.Canvas().Overlays().Top() != nil && !c.sending })
	if text := dialogText(c.Window.Canvas().Overlays().Top()); !strings.Contains(text, "could not be put in the outbox") {
		t.Fatalf("error dialog: %q", text)
	}
	if !c.draft().sameContent(before) {
		t.Fatalf("the form changed: %+v", c.draft())
	}
	if d, err := c.drafts.Load(); err != nil || d == nil || d.Sending || d.Subject != "Stays here" {
		t.Fatalf("draft on disk: %+v, %v", d, err)
	}
	if c.SendButton.Disabled() {
		t.Fatal("Send stayed disabled")
	}
}
