package ui

import (
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stamp/i18n"
)

// dayEntry is Send later's day: typed, or picked from a calendar, and shown
// the way the language writes a date (i18n.Date: "5 Dec 2026",
// "2026年12月5日"). Fyne's DateEntry takes no layout: it writes the
// system region's order (05/12/2026) whatever the language.
type dayEntry struct {
	entry *widget.Entry
	day   *time.Time // nil while the text is no day
	popUp *widget.PopUp
}

func newDayEntry(day time.Time, c fyne.Canvas) *dayEntry {
	d := &dayEntry{entry: widget.NewEntry()}
	d.entry.Validator = func(s string) error {
		if _, ok := i18n.ParseDate(s); !ok {
			return errors.New(lang.X("outbox.bad_date", "Write the day as {{.Example}}, or pick it from the calendar.",
				map[string]any{"Example": i18n.Date(day)}))
		}
		return nil
	}
	d.entry.OnChanged = func(s string) {
		d.day = nil
		if t, ok := i18n.ParseDate(s); ok {
			d.day = &t
		}
	}
	pick := widget.NewButtonWithIcon("", theme.CalendarIcon(), func() {
		start := day
		if d.day != nil {
			start = *d.day
		}
		d.popUp = widget.NewPopUp(newCalendar(start, time.Now(), func(t time.Time) { // calendar.go
			d.set(t)
			d.popUp.Hide()
		}), c)
		at := fyne.CurrentApp().Driver().AbsolutePositionForObject(d.entry)
		d.popUp.ShowAtPosition(popUpPlace(at, d.entry.Size().Height, c.Size(), d.popUp.MinSize()))
	})
	pick.Importance = widget.LowImportance
	d.entry.ActionItem = pick
	d.set(day)
	return d
}

// set shows day in the entry.
func (d *dayEntry) set(day time.Time) {
	d.entry.SetText(i18n.Date(day))
}

// popUpPlace is where a pop-up of size goes in a window of size win, for
// an object at pos, height high: under it when the window has room there,
// else above it, else as low as fits; moved left when it would pass the
// window's right edge.
func popUpPlace(pos fyne.Position, high float32, win, size fyne.Size) fyne.Position {
	p := pos.Add(fyne.NewPos(0, high))
	if p.Y+size.Height > win.Height {
		p.Y = pos.Y - size.Height
		if p.Y < 0 {
			p.Y = max(0, win.Height-size.Height)
		}
	}
	if p.X+size.Width > win.Width {
		p.X = max(0, win.Width-size.Width)
	}
	return p
}
