package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// Send later in Chile (America/Santiago): on 5 Sep 2027 the clocks go
// from 00:00 straight to 01:00, so that day has no local midnight and
// time.Date gives 23:00 on the 4th. The calendar walks the month from
// midnight to midnight: it shows the 4th twice and every later day at
// 23:00 (the day given is not marked); and picking the 5th writes
// "5 Sep 2027" into the entry, which parses back to the 4th: Schedule
// sends the message a day early.
func TestAttackZh2SendLaterOnAMidnightDSTDay(t *testing.T) { // fixed (fixzh2a): a regression test
	loc, err := time.LoadLocation("America/Santiago")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	saved := time.Local
	time.Local = loc
	t.Cleanup(func() { time.Local = saved })
	speak(t, "en")

	w := test.NewWindow(widget.NewLabel("composer"))
	defer w.Close()
	d := newDayEntry(time.Date(2027, 9, 10, 12, 0, 0, 0, loc), w.Canvas())
	w.SetContent(d.entry)
	test.Tap(d.entry.ActionItem.(*widget.Button))
	top := w.Canvas().Overlays().Top()
	fours := 0
	walk(top, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == "4" {
			fours++
		}
	})
	if fours != 1 {
		t.Errorf("the calendar of September 2027 shows the 4th %d times", fours)
	}
	five := findButton(top, "5")
	if five == nil {
		t.Fatal("no 5th in the calendar")
	}
	test.Tap(five)
	now := time.Date(2027, 9, 1, 8, 0, 0, 0, loc)
	at, err := laterAt(d.day, "09:30", now)
	if want := time.Date(2027, 9, 5, 9, 30, 0, 0, loc); err != nil || !at.Equal(want) {
		t.Errorf("picked the 5th (entry %q), 09:30: scheduled for %v (%v), want %v", d.entry.Text, at, err, want)
	}
}
