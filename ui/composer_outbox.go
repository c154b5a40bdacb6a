package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stamp/compose"
	"stamp/outbox"
)

// outboxState is the composer's side of the outbox: the undo bar of the
// message that just left the form, the count of waiting messages, and the
// time Send later chose.
type outboxState struct {
	undoID string // the message the undo bar offers to take back (the newest)
	undoAt time.Time
	// undoEarlier are this composer's earlier messages still in their
	// undo delay, oldest first: the bar offers the last of them once the
	// one it offers is undone or has left.
	undoEarlier []undoEntry
	undoLabel   *widget.Label
	undoButton  *widget.Button
	undoBar     *fyne.Container
	countLink   *widget.Button // "2 waiting in the Outbox"
	sendAt      time.Time      // Send later's time for the send being started
	exitDialog  dialog.Dialog  // the exit question, when this composer showed it (tests)
	// stopListening stops the outbox's changes reaching this composer
	// (its window closed).
	stopListening func()
	// stopAsking ends the password question of a Send (its window closed).
	stopAsking context.CancelFunc
	// afterQueue (tests) runs after each change the composer handled.
	afterQueue func(outbox.Change)
}

// outboxLine is the undo bar and the outbox count, under the status line.
func (c *Composer) outboxLine() fyne.CanvasObject {
	c.undoLabel = widget.NewLabel("")
	c.undoButton = widget.NewButtonWithIcon(lang.X("outbox.undo", "Undo"), theme.ContentUndoIcon(), c.undo)
	c.undoBar = container.NewHBox(c.undoLabel, c.undoButton)
	c.undoBar.Hide()
	c.countLink = widget.NewButton("", c.ShowOutbox)
	c.countLink.Importance = widget.LowImportance
	c.countLink.Hide()
	return container.NewHBox(c.undoBar, c.countLink)
}

// startOutbox listens to the outbox and shows what waits in it.
func (c *Composer) startOutbox() {
	u := c.opts.Outbox
	if u == nil {
		return
	}
	c.stopListening = u.listen(c.outboxChanged)
	c.showCount()
}

// stopOutbox is the composer's side of the outbox when its window closes:
// it hears no more changes and offers no more undo. Calling it again does
// nothing.
func (c *Composer) stopOutbox() {
	if c.stopListening != nil {
		c.stopListening()
		c.stopListening = nil
	}
	c.undoID, c.undoEarlier = "", nil
	if c.stopAsking != nil {
		c.stopAsking() // the password question goes with the window
	}
	if u := c.opts.Outbox; u != nil {
		for id, o := range u.owners {
			if o == c {
				delete(u.owners, id) // Undo and Edit go to a new composer now
			}
		}
	}
}

// ShowOutbox opens the Outbox window (one at a time; Message › Outbox).
func (c *Composer) ShowOutbox() {
	if c.opts.Outbox != nil {
		c.opts.Outbox.showWindow(c)
	}
}

// showCount puts the number of waiting messages into the window title and
// the status line.
func (c *Composer) showCount() {
	n := len(c.opts.Outbox.Waiting())
	if n == 0 {
		c.Window.SetTitle(Title)
		c.countLink.Hide()
		return
	}
	c.Window.SetTitle(lang.X("outbox.title_waiting", "Stamp — {{.Count}} waiting", map[string]any{"Count": n}))
	c.countLink.SetText(lang.X("outbox.count", "{{.Count}} waiting in the Outbox", map[string]any{"Count": n}))
	c.countLink.Show()
}

// enqueue puts m in the outbox instead of sending it now: after the undo
// delay, or at Send later's time. The form clears once the message is
// safely on disk; an error (a full disk) leaves the form and draft as
// they were.
func (c *Composer) enqueue(from Sender, m *compose.Message, sent draft) {
	u := c.opts.Outbox
	at := c.sendAt
	c.sendAt = time.Time{}
	p := u.opts.Passwords
	if p == nil || from.ID == SandboxID {
		c.enqueueAt(from, m, sent, at)
		return
	}
	// A password the keyring does not have is asked now, while the person
	// is here, not when the outbox sends (outbox_password.go).
	c.confirming = true // Send waits for the answer
	c.validate()
	ctx, cancel := context.WithCancel(context.Background())
	c.stopAsking = cancel
	c.background.Add(1)
	go func() {
		defer c.background.Done()
		defer cancel()
		err := p.ensure(ctx, from.ID, c.Window, false)
		runOnUI(func() {
			c.confirming = false
			c.stopAsking = nil
			if c.closed {
				return
			}
			if err != nil {
				c.validate()
				c.Notify(lang.X("outbox.no_password_given", "Not sent: {{.Error}}. The message stays here.", map[string]any{"Error": err.Error()}))
				return
			}
			c.enqueueAt(from, m, sent, at)
		})
	}()
}

// enqueueAt is enqueue once the password is at hand.
func (c *Composer) enqueueAt(from Sender, m *compose.Message, sent draft, at time.Time) {
	u := c.opts.Outbox
	if !at.IsZero() && !at.After(time.Now()) {
		// Send later's time passed meanwhile (a dialog left open, a long
		// password question): the outbox would send it at once. Refuse,
		// keeping the form, rather than send now what was meant for later.
		c.validate()
		c.showError(errors.New(lang.X("outbox.send_later_passed", "Not sent: the time chosen in Send later ({{.When}}) has passed. The message stays here: choose a later time.",
			map[string]any{"When": shortTime(at)})))
		return
	}
	n, err := outbox.FromCompose(m)
	if err != nil {
		c.showError(err)
		return
	}
	sent.Version = draftVersion
	form, err := json.Marshal(sent)
	if err != nil {
		c.showError(err)
		return
	}
	n.Account, n.SentCopy, n.Draft = from.ID, from.KeepSent, form
	n.Delay, n.At = u.UndoDelay(), at
	// Marked in the draft while it goes into the outbox: a kill before the
	// form is cleared brings it back saying it may have been sent, never
	// as a plain unsent draft beside its queued copy.
	c.markSending()  // an error: only that narrow window goes unmarked
	c.sending = true // Send waits until the message is in the outbox
	c.validate()
	// Closing the window (or Quit) now says it stops the send and keeps the
	// draft marked: stop really takes the message out of the outbox again
	// (it is still in its undo delay), here or in queued, whichever is later.
	stop := &queueStop{}
	c.cancelSend = stop.set
	c.background.Add(1)
	go func() {
		defer c.background.Done()
		r, err := u.Box.Enqueue(n) // reads the attachments: off the UI goroutine
		removed := false
		if err == nil && stop.isSet() {
			removed = u.Box.Remove(r.ID) == nil // the app may be ending: not on the UI goroutine
		}
		runOnUI(func() { c.queued(r, err, sent, stop, removed) })
	}()
}

// queueStop is the close's "stop the send" for a message going into the
// outbox: set on the UI goroutine, read by the queueing goroutine.
type queueStop struct {
	mu      sync.Mutex
	stopped bool
}

func (s *queueStop) set() {
	s.mu.Lock()
	s.stopped = true
	s.mu.Unlock()
}

func (s *queueStop) isSet() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopped
}

// queued is the end of enqueue, on the UI goroutine.
func (c *Composer) queued(r outbox.Record, err error, sent draft, stop *queueStop, removed bool) {
	c.sending = false
	c.cancelSend = nil
	if err == nil && (stop.isSet() || c.closed) {
		// The window closed (or Stamp quit) saying the send stops and the
		// draft stays, marked: the message leaves the outbox again and
		// the form and draft are not touched.
		if !removed {
			c.opts.Outbox.Box.Remove(r.ID) // a few small files; ErrBusy: it left, as marked
		}
		return
	}
	if err != nil {
		c.lastSaved = draft{}
		c.SaveDraft() // the mark off again: nothing was queued
		c.validate()
		c.showError(fmt.Errorf("%s %w", lang.X("outbox.enqueue_failed", "The message could not be put in the outbox, so it stays here:"), err))
		return
	}
	if c.draft().sameContent(sent) {
		c.clearForm()
		if err := c.drafts.Clear(); err != nil {
			c.Notify(err.Error())
		}
		c.lastSaved = draft{}
	} else if err := c.SaveDraft(); err != nil { // typed meanwhile: that is a new draft
		c.Notify(err.Error())
	}
	c.validate()
	c.showCount()
	u := c.opts.Outbox
	u.forms[r.ID] = sent // its recipients teach the contacts once it is sent
	if !c.closed {
		u.owners[r.ID] = c // Undo and Edit bring it back here while it is open and empty
	}
	switch {
	case r.State == outbox.Scheduled:
		c.Notify(lang.X("outbox.scheduled", "Scheduled: “{{.Subject}}” leaves on {{.When}}. Message › Outbox shows it.",
			map[string]any{"Subject": subjectOf(r), "When": shortTime(r.NextAttempt)}))
	case r.NextAttempt.After(time.Now()):
		if c.undoID != "" { // still offered: offered again once this one is settled
			c.undoEarlier = append(c.undoEarlier, undoEntry{c.undoID, c.undoAt})
		}
		c.undoID, c.undoAt = r.ID, r.NextAttempt
		c.tickUndo()
	}
}

// tickUndo shows the undo bar's countdown, once a second while it lasts.
func (c *Composer) tickUndo() {
	id := c.undoID
	if id == "" {
		c.undoBar.Hide()
		return
	}
	left := int(time.Until(c.undoAt).Round(time.Second) / time.Second)
	if left > 0 {
		c.undoLabel.SetText(lang.X("outbox.sending_in", "Sending in {{.Seconds}} s —", map[string]any{"Seconds": left}))
	} else {
		c.undoLabel.SetText(lang.X("outbox.sending_now", "Sending… —"))
	}
	c.undoButton.Enable()
	c.undoBar.Show()
	time.AfterFunc(time.Until(c.undoAt.Add(-time.Duration(left-1)*time.Second)), func() {
		runOnUI(func() {
			if c.undoID == id {
				c.tickUndo()
			}
		})
	})
}

// undoEntry is a message of this composer in its undo delay.
type undoEntry struct {
	id string
	at time.Time
}

// dropUndo forgets message id for the undo bar (undone, sent, or no longer
// waiting): when the bar offered it, it offers the next earlier message
// still in its delay, or goes.
func (c *Composer) dropUndo(id string) {
	for i, e := range c.undoEarlier {
		if e.id == id {
			c.undoEarlier = append(c.undoEarlier[:i:i], c.undoEarlier[i+1:]...)
			return
		}
	}
	if id != c.undoID {
		return
	}
	c.undoID = ""
	if n := len(c.undoEarlier); n > 0 {
		e := c.undoEarlier[n-1]
		c.undoEarlier = c.undoEarlier[:n-1]
		c.undoID, c.undoAt = e.id, e.at
		c.tickUndo()
		return
	}
	c.undoBar.Hide()
}

// undo takes the message of the undo bar back into the form.
func (c *Composer) undo() {
	if c.undoID == "" {
		return
	}
	id := c.undoID
	c.undoButton.Disable()
	c.opts.Outbox.takeBackFor(id, c, func(into *Composer, err error) {
		switch {
		case errors.Is(err, outbox.ErrBusy):
			c.Notify(lang.X("outbox.undo_too_late", "Too late to undo: the message is already being sent."))
		case errors.Is(err, outbox.ErrNotFound) || errors.Is(err, outbox.ErrAlreadySent):
			c.Notify(lang.X("outbox.undo_already_sent", "Too late to undo: the message has already been sent."))
		}
		if !c.closed {
			c.dropUndo(id)
		}
	})
}

// takeBack brings queued message id back into the form exactly as it was
// sent (Undo, and Edit in the Outbox window), asking first when the form
// holds another message. The draft is on disk before the message leaves
// the outbox, so a crash in between loses nothing. done, when not nil,
// runs on the UI goroutine with Take's error.
func (c *Composer) takeBack(id string, done func(error)) {
	if !c.draft().Empty() || c.sending {
		d := dialog.NewConfirm(lang.X("outbox.replace_title", "Replace the message you are writing?"),
			lang.X("outbox.replace_text", "The composer holds another message. Put the queued one in its place? The one you are writing is lost unless you send or copy it first."),
			func(ok bool) {
				if ok && !c.sending {
					c.takeBackNow(id, done)
				} else if done != nil {
					done(nil)
				}
			}, c.Window)
		c.showDialog(d)
		return
	}
	c.takeBackNow(id, done)
}

func (c *Composer) takeBackNow(id string, done func(error)) {
	u := c.opts.Outbox
	store := c.drafts
	u.goCounted(func() {
		got, copied, err := u.takeInto(id, store, c.opts.DataDir)
		runOnUI(func() {
			if err == nil {
				c.forgetSends()
				c.fillForm(got)
				c.lastSaved = got
				c.validate()
				c.Notify(takenBackText(got, copied))
			} else if !errors.Is(err, outbox.ErrBusy) && !errors.Is(err, outbox.ErrNotFound) {
				c.showError(err)
			}
			if done != nil {
				done(err)
			}
		})
	})
}

// outboxChanged tells the person what happened to a queued message, on
// the UI goroutine: sent (and whether it left late), back in the queue
// after a temporary failure, or in need of attention.
func (c *Composer) outboxChanged(ch outbox.Change) {
	if c.closed {
		return // its window is gone (stopOutbox has removed this listener)
	}
	r := ch.Record
	if ch.Removed || r.State != outbox.Waiting {
		c.dropUndo(r.ID) // the bar then offers the next of this composer's messages still waiting
	}
	c.showCount()
	subject := subjectOf(r)
	switch {
	case ch.Removed && r.State == outbox.Sent:
		text := lang.X("outbox.sent", "Sent: “{{.Subject}}”.", map[string]any{"Subject": subject})
		if r.Account == SandboxID {
			text += " " + lang.X("outbox.sent_sandbox", "Delivered to the built-in sandbox server only: nothing left this computer (Message › Sandbox inbox shows it).")
		}
		if _, late := r.LeftLate(); late {
			text += " " + lang.X("outbox.left_late", "It was scheduled for {{.Scheduled}} and left late, at {{.Sent}} (Stamp was not running or the network was down).",
				map[string]any{"Scheduled": shortTime(r.Scheduled), "Sent": shortTime(r.SentAt)})
		}
		if ch.SentPath != "" {
			text += " " + lang.X("outbox.sent_copy", "A copy is in your Sent folder.")
		}
		c.Notify(text)
	case ch.Removed:
	case r.State == outbox.NeedsAttention && r.Reason == outbox.ReasonMaybeDelivered:
		c.Notify(lang.X("outbox.maybe_delivered", "“{{.Subject}}” may have been delivered: it was sent completely, but the server never confirmed it. It waits in the Outbox (Message › Outbox): check with a recipient before sending it again.",
			map[string]any{"Subject": subject}))
	case r.State == outbox.NeedsAttention && r.Reason == outbox.ReasonSignIn && c.opts.Outbox.opts.Passwords != nil &&
		c.opts.Outbox.opts.Passwords.usesPassword(r.Account):
		c.Notify(lang.X("outbox.needs_password", "Not sent: “{{.Subject}}” needs the account's password. {{.Why}} Open Message › Outbox and choose “Enter the password and retry…”.",
			map[string]any{"Subject": subject, "Why": failureText(r)}))
	case r.State == outbox.NeedsAttention:
		c.Notify(lang.X("outbox.needs_attention", "Not sent: “{{.Subject}}” needs your attention. {{.Why}} It waits in the Outbox (Message › Outbox).",
			map[string]any{"Subject": subject, "Why": failureText(r)}))
	case r.State == outbox.Retrying && r.LastError != nil && !r.LastError.At.IsZero():
		c.Notify(lang.X("outbox.retrying", "“{{.Subject}}” could not be sent yet: {{.Why}} Stamp tries again at {{.When}}, or as soon as the network is back.",
			map[string]any{"Subject": subject, "Why": failureText(r), "When": shortTime(r.NextAttempt)}))
	}
	if c.afterQueue != nil {
		c.afterQueue(ch)
	}
}

// subjectOf names a queued message.
func subjectOf(r outbox.Record) string {
	if r.Subject == "" {
		return lang.X("outbox.no_subject", "(no subject)")
	}
	return r.Subject
}

// failureText is the last error of r for a person, explained now in the
// current language from what the record keeps (outbox.Failure.Explain).
func failureText(r outbox.Record) string {
	return r.LastError.Explain()
}
