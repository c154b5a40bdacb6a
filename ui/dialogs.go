package ui

import "fyne.io/fyne/v2"

// hideShower is what every Fyne dialog (the file dialog included) offers.
type hideShower interface {
	Show()
	Hide()
	SetOnClosed(func())
}

// dialogs shows a window's dialogs and lets Esc close the one on top, which
// Fyne's dialogs do not do by themselves. Esc reaches the window when no
// widget inside the dialog holds the keyboard focus.
type dialogs struct {
	top hideShower
}

// escDialogs installs Esc handling on w.
func escDialogs(w fyne.Window) *dialogs {
	ds := &dialogs{}
	w.Canvas().SetOnTypedKey(ds.typedKey)
	return ds
}

// show shows d as the dialog Esc closes.
func (ds *dialogs) show(d hideShower) {
	ds.top = d
	d.SetOnClosed(func() {
		if ds.top == d {
			ds.top = nil
		}
	})
	d.Show()
}

func (ds *dialogs) typedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape {
		ds.hideTop()
	}
}

// hideTop closes the dialog on top, if any (a kept window being hidden or
// reused must not come back with a stale dialog).
func (ds *dialogs) hideTop() {
	if d := ds.top; d != nil {
		ds.top = nil
		d.Hide()
	}
}
