package ui

import (
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stamp/i18n"
)

// calendar is a month of days to pick one from, in the person's language:
// the heading is the language's month ("December 2026", "2026年12月"), the
// week starts on the language's first day. Fyne's widget.Calendar writes
// its heading with Go's English "January 2006" whatever the language.
type calendar struct {
	widget.BaseWidget
	month    time.Time // the first day of the month shown (its year and month count)
	selected time.Time // the day picked or given, its first moment (midnight)
	earliest time.Time // days before it cannot be picked (zero: any day)
	onPick   func(time.Time)

	heading *widget.Label
	days    *fyne.Container
}

// newCalendar shows the month of start with start selected; onPick gets
// the day tapped (its first moment in local time: midnight, or the moment
// the clocks jump to where they skip midnight; its Date() is the day).
// Days before earliest's day are shown but cannot be picked (a zero
// earliest allows any day).
func newCalendar(start, earliest time.Time, onPick func(time.Time)) *calendar {
	start = midnight(start)
	if !earliest.IsZero() {
		earliest = midnight(earliest)
	}
	c := &calendar{selected: start, earliest: earliest, onPick: onPick,
		heading: widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		days:    container.NewGridWithColumns(7)}
	c.show(start.Year(), start.Month())
	c.ExtendBaseWidget(c)
	return c
}

// CreateRenderer is the heading between the previous and next month's
// buttons, above the grid of days.
func (c *calendar) CreateRenderer() fyne.WidgetRenderer {
	prev := widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { c.show(c.month.Year(), c.month.Month()-1) })
	next := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { c.show(c.month.Year(), c.month.Month()+1) })
	prev.Importance, next.Importance = widget.LowImportance, widget.LowImportance
	return widget.NewSimpleRenderer(container.NewBorder(container.NewBorder(nil, nil, prev, next, c.heading), nil, nil, nil, c.days))
}

// show fills the heading and the grid with a month (time.Date's
// normalisation: month 0 is the December before). Days are counted as
// dates, never by adding 24 hours or a day to a local midnight: where the
// clocks skip midnight, that midnight is the evening before.
func (c *calendar) show(year int, mon time.Month) {
	month := i18n.DayStart(year, mon, 1, time.Local)
	year, mon = month.Year(), month.Month()
	c.month = month
	c.heading.SetText(month.Format(i18n.T("time.month_layout", "January 2006")))
	first := firstWeekday()
	var cells []fyne.CanvasObject
	for i := 0; i < 7; i++ {
		cells = append(cells, widget.NewLabelWithStyle(weekdayShort(time.Weekday((int(first)+i)%7)), fyne.TextAlignCenter, fyne.TextStyle{}))
	}
	for i := 0; i < (int(month.Weekday())-int(first)+7)%7; i++ {
		cells = append(cells, widget.NewLabel(""))
	}
	for n := 1; n <= daysIn(year, mon); n++ {
		day := i18n.DayStart(year, mon, n, time.Local)
		b := widget.NewButton(strconv.Itoa(n), func() {
			c.selected = day
			c.show(year, mon)
			if c.onPick != nil {
				c.onPick(day)
			}
		})
		b.Importance = widget.LowImportance
		if day.Equal(c.selected) {
			b.Importance = widget.HighImportance
		}
		if day.Before(c.earliest) {
			b.Disable()
		}
		cells = append(cells, b)
	}
	c.days.Objects = cells
	c.days.Refresh()
}

// firstWeekday is the day the language starts its week on ("time.first_weekday":
// 0 Sunday … 6 Saturday).
func firstWeekday() time.Weekday {
	n, err := strconv.Atoi(i18n.T("time.first_weekday", "0"))
	if err != nil || n < 0 || n > 6 {
		return time.Sunday
	}
	return time.Weekday(n)
}

// weekdayShort is the short name the language gives the day in a
// calendar's heading row ("Mo", "一").
func weekdayShort(d time.Weekday) string {
	switch d {
	case time.Monday:
		return lang.X("calendar.mon", "Mo")
	case time.Tuesday:
		return lang.X("calendar.tue", "Tu")
	case time.Wednesday:
		return lang.X("calendar.wed", "We")
	case time.Thursday:
		return lang.X("calendar.thu", "Th")
	case time.Friday:
		return lang.X("calendar.fri", "Fr")
	case time.Saturday:
		return lang.X("calendar.sat", "Sa")
	}
	return lang.X("calendar.sun", "Su")
}

// midnight is the start of t's day, local time (i18n.DayStart: where the
// clocks skip midnight, the moment they jump to).
func midnight(t time.Time) time.Time {
	t = t.Local()
	return i18n.DayStart(t.Year(), t.Month(), t.Day(), time.Local)
}

// daysIn is the number of days of a month.
func daysIn(year int, mon time.Month) int {
	return time.Date(year, mon+1, 0, 12, 0, 0, 0, time.UTC).Day()
}
