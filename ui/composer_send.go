package ui

import (
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"stamp/compose"
)

// sendState is the composer's send lifecycle: whether a send is under way,
// the form as it went out, the send panel, and what the end of a send means
// for the draft (sent: cleared; not sent: kept; possibly sent: kept and
// marked, so the next start warns before a duplicate) and for the process
// (exit waits for the send's goroutine, never for a UI callback).
type sendState struct {
	sending bool
	// sendingDraft is the form as it was when the current send started.
	sendingDraft draft
	// possiblySent: a send of this message may have been delivered (its
	// final reply never came, or the person closed Stamp during the send).
	// The draft keeps Sending=true until a send succeeds or the form is
	// cleared.
	possiblySent bool
	// sentEarlier: when the server accepted an earlier version of this
	// message; the form holds changes made while that send went out. Kept
	// in the draft (SentEarlier) so neither a restart nor Send forgets it.
	sentEarlier time.Time
	confirming  bool             // the "Before sending" warnings are open
	panel       *sendPanel       // the send panel of the last send
	cancelSend  func()           // stops the running send
	sizeLimits  map[string]int64 // SIZE learnt from the servers this run, by sender ID
	afterSend   func()           // tests: runs when SendFinished has done everything
	// background counts the send under way and the Sent copies being
	// written. The send's own goroutine counts itself down (SendDone), so
	// exit never waits for a UI callback that Fyne drops at shutdown.
	background sync.WaitGroup
	sendDone   func()
	// signIn: "Sign in again" before Send for OAuth 2 accounts
	// (composer_signin.go).
	signIn signInState
}

// learnSizeLimit keeps the SIZE a server announced for this run, so the
// size warning uses the server's own limit from the second send on.
func (c *Composer) learnSizeLimit(senderID string, limit int64) {
	if c.sizeLimits == nil {
		c.sizeLimits = map[string]int64{}
	}
	c.sizeLimits[senderID] = limit
}

func (c *Composer) TrySend() { c.trySend(nil) }

// trySend is TrySend, limited to the addresses in only when not nil.
func (c *Composer) trySend(only []string) {
	if c.sending || c.confirming {
		return // one send at a time; Ctrl+Enter again while asked does nothing
	}
	c.Attachments.Recheck()
	c.validate()
	if reason := c.blocker(); reason != "" {
		c.showDialog(dialog.NewInformation(lang.X("composer.not_ready", "Not ready to send"), reason, c.Window))
		return
	}
	from, _ := c.Sender()
	if limit := c.sizeLimits[from.ID]; limit > 0 {
		from.SizeLimit = limit
	}
	m, _ := c.formMessage()
	sent := c.draft() // what m holds: the form may change while Stamp asks
	if err := m.Validate(); err != nil {
		c.showError(err)
		return
	}
	warnings := sendWarnings(sendCheck{
		Subject:     m.Subject,
		Body:        m.Text,
		Visible:     len(m.To) + len(m.Cc),
		Attachments: len(m.Attachments),
		Size:        int64(len(m.Text)) + c.Attachments.EncodedSize(),
		SizeLimit:   from.SizeLimit,
		// Retry in the panel and Send after a restart come here too:
		// nothing that may be a second copy goes out without asking.
		PossiblySent: c.possiblySent,
		SentEarlier:  c.sentEarlier,
	})
	if len(warnings) == 0 {
		c.startSend(from, m, only, sent)
		return
	}
	c.confirming = true
	c.Window.RequestFocus() // Retry is tapped in the send panel: the question is here
	c.showDialog(dialog.NewCustomConfirm(lang.X("composer.before_sending", "Before sending"), lang.X("composer.send_anyway", "Send anyway"), lang.X("composer.back_to_message", "Back to the message"),
		widget.NewLabel(strings.Join(warnings, "\n")), func(ok bool) {
			c.confirming = false
			if ok {
				c.startSend(from, m, only, sent)
			}
			c.sendAt = time.Time{} // Send later's time is for this send only
		}, c.Window))
}

func (c *Composer) startSend(from Sender, m *compose.Message, only []string, sent draft) {
	if c.sending {
		return
	}
	if c.opts.Outbox != nil && only == nil {
		c.enqueue(from, m, sent) // composer_outbox.go
		return
	}
	if c.opts.Send == nil {
		c.showDialog(dialog.NewInformation(lang.X("composer.cannot_send", "Cannot send"), lang.X("composer.send_not_set_up", "Sending is not set up in this window."), c.Window))
		return
	}
	if err := c.markSending(); err != nil {
		// Without the mark, a Stamp killed during the send would bring the
		// message back as an unsent draft next time: an invitation to send
		// it twice. The person decides, knowing that.
		c.confirming = true
		text := widget.NewLabel(lang.X("composer.mark_failed", "Stamp could not record in your drafts that this message is being sent ({{.Error}}). If Stamp stopped during the send, the next start would not warn that the message may already have been delivered.", map[string]any{"Error": err.Error()}))
		text.Wrapping = fyne.TextWrapWord
		d := dialog.NewCustomConfirm(lang.X("composer.mark_failed_title", "The draft could not be marked"), lang.X("composer.send_anyway", "Send anyway"), lang.X("composer.back_to_message", "Back to the message"), text,
			func(ok bool) {
				c.confirming = false
				if ok && !c.sending {
					c.sendStarted(sent)
					c.opts.Send(c, from, m, only)
				}
			}, c.Window)
		d.Resize(fyne.NewSize(520, 240))
		c.showDialog(d)
		return
	}
	c.sendStarted(sent)
	c.opts.Send(c, from, m, only)
}

// markSending records in the draft that a send is under way: if Stamp is
// killed during it, the next start says the outcome is unknown and still has
// the message.
func (c *Composer) markSending() error {
	if c.timer != nil {
		c.timer.Stop()
	}
	d := c.draft()
	d.Sending = true
	d.SentEarlier = c.sentEarlier
	if err := c.drafts.Save(d); err != nil {
		return err
	}
	c.lastSaved = d
	return nil
}

// sendStarted locks Send and keeps the form as it goes out.
func (c *Composer) sendStarted(sent draft) {
	c.sending = true
	c.background.Add(1) // until SendDone's function runs
	var once sync.Once
	c.sendDone = func() { once.Do(c.background.Done) }
	c.validate()
	if c.timer != nil {
		c.timer.Stop()
	}
	c.sendingDraft = sent
}

// SendDone returns the function that ends the current send's count for
// Wait. A SendFunc takes it when it starts (on the UI goroutine) and calls
// it from the send's own goroutine once the engine has returned and nothing
// but UI work is left; it is safe from any goroutine and more than once.
func (c *Composer) SendDone() func() {
	if done := c.sendDone; done != nil {
		return done
	}
	return func() {}
}

// SendFinished is called (on the UI goroutine) when a send has ended with
// outcome. After a success the form and the draft are cleared — unless the
// person edited the message meanwhile, then that version stays and
// keptEdits is true. Otherwise everything stays as it was so the person can
// fix and retry; when the message may have been delivered (or the person
// closed Stamp during the send, which promised so), the draft stays marked
// as possibly sent, so the next start warns instead of inviting a duplicate.
func (c *Composer) SendFinished(outcome SendOutcome) (keptEdits bool) {
	if uiStopped() || c.closed {
		return false // the app's loop has ended, or this window has: no widget or draft work now
	}
	if c.sending {
		c.SendDone()() // a SendFunc that did not count itself down
	}
	c.sending = false
	if outcome == MaybeSent {
		c.possiblySent = true
	}
	if outcome == Sent {
		c.learnRecipients(c.sendingDraft) // contacts.go
	}
	switch {
	case outcome == Sent && !c.draft().Empty() && !c.draft().sameContent(c.sendingDraft):
		// The person kept writing while the message went out: keep that
		// (the caller says so in its notice), with the time the earlier
		// version was sent, so that neither the next start nor Send
		// presents it as never sent.
		keptEdits = true
		c.possiblySent = false
		c.sentEarlier = time.Now()
		c.lastSaved = draft{}
		if err := c.SaveDraft(); err != nil {
			c.Notify(err.Error())
		}
	case outcome == Sent:
		c.clearForm()
		if err := c.drafts.Clear(); err != nil {
			c.Notify(err.Error())
		}
		c.lastSaved = draft{}
	default:
		if c.draft().Empty() && !c.sendingDraft.Empty() {
			// The form was emptied while the message went out, and it did
			// not (surely) arrive: bring it back rather than lose it.
			c.fillForm(c.sendingDraft)
			if outcome == MaybeSent {
				c.Notify(lang.X("composer.back_possibly_sent", "The message you sent is back in the form: Stamp does not know whether the server took it, so it stays marked as possibly sent."))
			} else {
				c.Notify(lang.X("composer.back_not_sent", "The message was not sent, so it is back in the form."))
			}
		}
		if err := c.SaveDraft(); err != nil {
			c.Notify(err.Error())
		}
	}
	c.validate()
	if c.afterSend != nil {
		c.afterSend()
	}
	return keptEdits
}

// closeWhileSending asks before closing the window during a send; closing
// stops the send and keeps the message in the drafts marked as possibly
// sent, as the question promises (the send's end does not undo the mark).
func (c *Composer) closeWhileSending() {
	c.showDialog(dialog.NewConfirm(lang.X("composer.closing_while_sending.title", "A message is being sent"), c.closeSendingText(),
		func(stop bool) {
			if !stop {
				return
			}
			c.possiblySent = true
			if c.cancelSend != nil {
				c.cancelSend()
			}
			c.SaveDraft()
			c.closeNow()
		}, c.Window))
}

// Wait blocks until the sends under way and the work that follows them
// (writing the Sent copy of a message just sent) are done, or limit has
// passed; it reports whether they are done. The app calls it after its
// window closed and before the process exits, so that a Sent copy is not
// lost when Stamp is closed right after a send. It waits for goroutines
// only: the UI callbacks of a send may be dropped by then.
func (c *Composer) Wait(limit time.Duration) bool { return waitAtMost(&c.background, limit) }
