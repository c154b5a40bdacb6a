package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stamp/outbox"
	"stamp/smtpclient"
)

// outboxWindow lists every queued message with its state, next attempt
// and last error, and offers Send now, Edit, Retry and Delete.
type outboxWindow struct {
	Window fyne.Window
	u      *Outbox
	c      *Composer
	list   *fyne.Container
	open   bool
}

// showWindow opens the Outbox window, or brings the open one to the front.
func (u *Outbox) showWindow(c *Composer) *outboxWindow {
	if w := u.window; w != nil && w.open {
		w.Window.Show()
		w.Window.RequestFocus()
		return w
	}
	w := &outboxWindow{u: u, c: c, list: container.NewVBox(), open: true}
	w.Window = u.app.NewWindow(lang.X("outbox.window_title", "Outbox — Stamp"))
	w.Window.SetIcon(Icon)
	w.Window.SetContent(container.NewVScroll(w.list))
	w.Window.Resize(fyne.NewSize(640, 420))
	w.Window.SetOnClosed(func() { w.open = false })
	u.window = w
	if !u.windowListens {
		u.windowListens = true
		u.listen(func(outbox.Change) {
			if u.window != nil && u.window.open {
				u.window.refresh()
			}
		})
	}
	w.refresh()
	w.Window.Show()
	return w
}

// refresh rebuilds the list from the folder.
func (w *outboxWindow) refresh() {
	list, err := w.u.Box.List()
	w.list.RemoveAll()
	if err != nil {
		w.list.Add(widget.NewLabel(err.Error()))
	}
	if len(list) == 0 && err == nil {
		w.list.Add(widget.NewLabel(lang.X("outbox.empty", "Nothing is waiting: every message has been sent.")))
	}
	for _, r := range list {
		w.list.Add(w.row(r))
		w.list.Add(widget.NewSeparator())
	}
	w.list.Refresh()
}

// stateText says where r is, in words.
func stateText(r outbox.Record) string {
	when := shortTime(r.NextAttempt)
	switch {
	case r.Busy || r.State == outbox.Sending:
		return lang.X("outbox.state_sending", "Being sent now")
	case r.State == outbox.Waiting:
		return lang.X("outbox.state_waiting", "Waiting to leave at {{.When}} (undo delay)", map[string]any{"When": when})
	case r.State == outbox.Scheduled:
		return lang.X("outbox.state_scheduled", "Scheduled for {{.When}}", map[string]any{"When": when})
	case r.State == outbox.Retrying:
		return lang.X("outbox.state_retrying", "Could not be sent yet; next attempt at {{.When}} (or when the network is back)", map[string]any{"When": when})
	case r.Reason == outbox.ReasonMaybeDelivered:
		return lang.X("outbox.state_maybe", "Needs attention: may have been delivered (the server never confirmed it)")
	case r.State == outbox.NeedsAttention:
		return lang.X("outbox.state_attention", "Needs attention: not sent")
	case r.State == outbox.Sent:
		return lang.X("outbox.state_sent", "Sent; moving to the Sent folder")
	}
	return string(r.State)
}

// row is one message: what it is, its state, its last error, its actions.
func (w *outboxWindow) row(r outbox.Record) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(smtpclient.Printable(subjectOf(r)), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	to := widget.NewLabel(lang.X("outbox.to", "To: {{.To}}", map[string]any{"To": smtpclient.Printable(strings.Join(r.To, ", "))}))
	to.Truncation = fyne.TextTruncateEllipsis
	state := widget.NewLabel(stateText(r))
	if r.State == outbox.NeedsAttention {
		state.Importance = widget.DangerImportance
	}
	parts := []fyne.CanvasObject{title, to, state}
	if r.LastError != nil {
		e := widget.NewLabel(lang.X("outbox.last_error", "Last error: {{.Error}}", map[string]any{"Error": smtpclient.Printable(failureText(r))}))
		e.Wrapping = fyne.TextWrapWord
		parts = append(parts, e)
	}
	var buttons []fyne.CanvasObject
	if p := w.u.opts.Passwords; r.State == outbox.NeedsAttention && r.Reason == outbox.ReasonSignIn && p != nil && p.usesPassword(r.Account) {
		// The password is missing (a restart, nothing in the keyring) or
		// was refused: Retry asks for it.
		buttons = append(buttons, widget.NewButtonWithIcon(lang.X("outbox.enter_password", "Enter the password and retry…"), theme.AccountIcon(),
			func() { w.u.sendNowAsking(r, w.Window, true, false) }))
	} else if r.State == outbox.Retrying || r.State == outbox.NeedsAttention {
		buttons = append(buttons, widget.NewButtonWithIcon(lang.X("outbox.retry", "Retry"), theme.ViewRefreshIcon(), func() { w.sendNow(r) }))
	} else {
		buttons = append(buttons, widget.NewButtonWithIcon(lang.X("outbox.send_now", "Send now"), theme.MailSendIcon(), func() { w.sendNow(r) }))
	}
	buttons = append(buttons,
		widget.NewButtonWithIcon(lang.X("outbox.edit", "Edit"), theme.DocumentCreateIcon(), func() { w.edit(r) }),
		widget.NewButtonWithIcon(lang.X("outbox.delete", "Delete"), theme.DeleteIcon(), func() { w.remove(r) }))
	if r.Busy || r.State == outbox.Sending {
		for _, b := range buttons {
			b.(*widget.Button).Disable()
		}
	}
	parts = append(parts, container.NewHBox(buttons...))
	return container.NewVBox(parts...)
}

// sendNow is Send now and Retry; a message that may have been delivered
// goes again only after the person says so.
func (w *outboxWindow) sendNow(r outbox.Record) {
	if r.Reason == outbox.ReasonMaybeDelivered {
		askSendAgain(r, w.Window, func() { w.u.sendNow(r, w.Window, true) })
		return
	}
	w.u.sendNow(r, w.Window, false)
}

// askSendAgain asks before a message that may have been delivered goes
// again, and runs again if the person says so.
func askSendAgain(r outbox.Record, parent fyne.Window, again func()) {
	d := dialog.NewConfirm(lang.X("outbox.again_title", "Send it again?"),
		lang.X("outbox.again_text", "“{{.Subject}}” may already have been delivered: it was sent completely, but the server never confirmed it. Sending it again may make it arrive twice. Check with a recipient first.",
			map[string]any{"Subject": smtpclient.Printable(subjectOf(r))}),
		func(ok bool) {
			if ok {
				again()
			}
		}, parent)
	d.SetConfirmText(lang.X("outbox.send_again", "Send again"))
	d.Show()
}

// sendNow sends r now on a goroutine, shown live in the send panel; again
// is the person's yes to a message that may have been delivered. One found
// to be so only now (its sender died after DATA) is asked about first.
func (u *Outbox) sendNow(r outbox.Record, parent fyne.Window, again bool) {
	u.sendNowAsking(r, parent, false, again)
}

// sendNowAsking is sendNow; a password the keyring does not have is asked
// first on parent (always, when askPassword: the person chose to enter
// it). No password given: nothing is sent.
func (u *Outbox) sendNowAsking(r outbox.Record, parent fyne.Window, askPassword, again bool) {
	u.showLive(r.ID)
	u.goCounted(func() {
		if p := u.opts.Passwords; p != nil && r.Account != SandboxID {
			if err := p.ensure(context.Background(), r.Account, parent, askPassword); err != nil {
				return // the person cancelled the question
			}
		}
		now, err := u.Box.SendNow(context.Background(), r.ID, again)
		switch {
		case errors.Is(err, outbox.ErrMaybeDelivered):
			runOnUI(func() { askSendAgain(now, parent, func() { u.sendNowAsking(now, parent, false, true) }) })
		case errors.Is(err, outbox.ErrBusy) || errors.Is(err, outbox.ErrNotFound):
			// it is being sent, or it left already
		case err != nil:
			runOnUI(func() { dialog.ShowError(err, parent) })
		}
	})
}

// edit takes the message back into a composer: the one that sent it when
// it is open and empty, else a new one (takeBackFor).
func (w *outboxWindow) edit(r outbox.Record) {
	owner := w.u.owners[r.ID]
	if w.u.composers == nil {
		owner = w.c // a lone composer: it asks before replacing its message
	}
	w.u.takeBackFor(r.ID, owner, func(c *Composer, err error) {
		if err == nil && c != nil {
			c.Window.Show()
			c.Window.RequestFocus()
		} else if errors.Is(err, outbox.ErrBusy) {
			dialog.ShowInformation(lang.X("outbox.busy_title", "Being sent"),
				lang.X("outbox.busy_text", "The message is being sent right now; it can no longer be edited."), w.Window)
		}
	})
}

// remove deletes the message after a confirmation.
func (w *outboxWindow) remove(r outbox.Record) {
	d := dialog.NewConfirm(lang.X("outbox.delete_title", "Delete this message?"),
		lang.X("outbox.delete_text", "“{{.Subject}}” will not be sent and is removed from the outbox. This cannot be undone.",
			map[string]any{"Subject": smtpclient.Printable(subjectOf(r))}),
		func(ok bool) {
			if !ok {
				return
			}
			w.u.goCounted(func() {
				err := w.u.Box.Remove(r.ID)
				if err != nil && !errors.Is(err, outbox.ErrNotFound) {
					runOnUI(func() { dialog.ShowError(err, w.Window) })
				}
			})
		}, w.Window)
	d.SetConfirmText(lang.X("outbox.delete", "Delete"))
	d.Show()
}
