package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"stamp/i18n"
	"stamp/outbox"
)

// outboxMenu is the Message menu's Outbox items: the window and the undo
// delay setting.
func (c *Composer) outboxMenu() []*fyne.MenuItem {
	if c.opts.Outbox == nil {
		return nil
	}
	return []*fyne.MenuItem{
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(lang.X("outbox.menu", "Outbox"), c.ShowOutbox),
		fyne.NewMenuItem(lang.X("outbox.menu_delay", "Undo send delay…"), c.ShowUndoDelay),
	}
}

// undoChoices are the undo delays offered, in seconds.
var undoChoices = []int{0, 5, 10, 20, 30, 60}

// delayLabel names an undo delay of s seconds (s > 0) in the current
// language: also one that is not among undoChoices (a preference written
// by another version, or by hand).
func delayLabel(s int) string {
	return i18n.N("outbox.delay_seconds", "{{.Count}} second", "{{.Count}} seconds", s)
}

// ShowUndoDelay lets the person choose the undo delay (0 sends at once).
func (c *Composer) ShowUndoDelay() {
	u := c.opts.Outbox
	labels := make([]string, len(undoChoices))
	current := int(u.UndoDelay() / time.Second)
	sel := widget.NewSelect(nil, nil)
	for i, s := range undoChoices {
		if s == 0 {
			labels[i] = lang.X("outbox.delay_off", "Off: send at once")
		} else {
			labels[i] = delayLabel(s)
		}
	}
	sel.Options = labels
	for i, s := range undoChoices {
		if s == current {
			sel.SetSelectedIndex(i)
		}
	}
	if sel.SelectedIndex() < 0 {
		sel.Options = append(sel.Options, delayLabel(current))
		sel.SetSelectedIndex(len(sel.Options) - 1)
	}
	text := widget.NewLabel(lang.X("outbox.delay_text", "After Send, a message waits this long before it leaves, so Undo can still bring it back."))
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(lang.X("outbox.delay_title", "Undo send delay"), lang.X("outbox.save", "Save"), lang.X("outbox.cancel", "Cancel"),
		container.NewVBox(text, sel), func(ok bool) {
			if i := sel.SelectedIndex(); ok && i >= 0 && i < len(undoChoices) {
				u.SetUndoDelay(time.Duration(undoChoices[i]) * time.Second)
			}
		}, c.Window)
	d.Resize(fyne.NewSize(420, 220))
	c.showDialog(d)
}

// askExit asks, in c's window, when Stamp is about to end with messages
// waiting in the outbox (the last composer closes, or Quit), whether to
// send them now or leave them for the next start; it reports whether it
// asked. Once answered (and the sends asked for have ended), then runs:
// the rest of the close or Quit, with its own question about unsent
// drafts. Cancel ends it there, also while "Send them now" runs (the send
// under way finishes, no other starts, the person stays). Nothing is lost either way: the messages
// stay on disk until they are sent.
func (u *Outbox) askExit(c *Composer, then func()) bool {
	list := u.Waiting()
	if len(list) == 0 {
		return false
	}
	var due []string // what "send them now" sends: not the scheduled ones
	for _, r := range list {
		if r.State == outbox.Waiting || r.State == outbox.Retrying {
			due = append(due, r.ID)
		}
	}
	words := lang.X("outbox.exit_one", "A message is waiting in the Outbox. It stays safe on disk either way.")
	if len(list) > 1 {
		words = lang.X("outbox.exit_many", "{{.Count}} messages are waiting in the Outbox, {{.Due}} of them ready to go (the others are scheduled or need attention). They stay safe on disk either way.",
			map[string]any{"Count": len(list), "Due": len(due)})
	}
	text := widget.NewLabel(words)
	text.Wrapping = fyne.TextWrapWord
	sendNow := widget.NewButton(lang.X("outbox.exit_send", "Send them now"), nil)
	quit := widget.NewButton(lang.X("outbox.exit_quit", "Quit — they will be sent at the next start"), nil)
	cancel := widget.NewButton(lang.X("outbox.cancel", "Cancel"), nil)
	progress := widget.NewProgressBarInfinite()
	progress.Hide()
	if len(due) == 0 {
		sendNow.Disable()
	}
	dlg := dialog.NewCustomWithoutButtons(lang.X("outbox.exit_title", "Messages are waiting"),
		container.NewVBox(text, progress, container.NewHBox(sendNow, quit, cancel)), c.Window)
	// The answer is given once: Cancel or Quit during "Send them now" ends
	// it there, and the end of the sends does nothing more than stop.
	answered := false
	ctx, stopSends := context.WithCancel(context.Background())
	goOn := func() {
		if answered {
			return
		}
		answered = true
		stopSends()
		dlg.Hide()
		then()
	}
	quit.OnTapped = goOn // during the sends too: the one under way finishes (Stop waits), the rest wait for the next start
	cancel.OnTapped = func() {
		answered = true // the person stays: the sends' end must not close anything
		stopSends()     // no next message starts; one under way finishes
		dlg.Hide()
	}
	sendNow.OnTapped = func() {
		sendNow.Disable()
		progress.Show()
		u.goCounted(func() {
			for i, id := range due {
				if i > 0 && ctx.Err() != nil {
					break // Cancel or Quit: the next ones stay in the outbox (the first was under way)
				}
				// Not ctx: a send under way (perhaps past its data) finishes.
				u.Box.SendNow(context.Background(), id, false) // a failure, or a message that may have been delivered, stays in the outbox
			}
			runOnUI(goOn)
		})
	}
	dlg.Resize(fyne.NewSize(560, 200))
	c.showDialog(dlg)
	c.exitDialog = dlg
	return true
}
