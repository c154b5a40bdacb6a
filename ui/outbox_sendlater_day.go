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
		d.popUp = widget.NewPopUp(widget.NewCalendar(start, func(t time.Time) {
			d.set(t)
			d.popUp.Hide()
		}), c)
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(d.entry)
		d.popUp.ShowAtPosition(pos.Add(fyne.NewPos(0, d.entry.Size().Height)))
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
