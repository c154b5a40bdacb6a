package ui

import (
	"stamp/i18n"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// The calendar names its month in the language, moves between months,
// picks a day, and refuses the days before the earliest.
func TestCalendarSpeaksTheLanguageAndRefusesPastDays(t *testing.T) {
	for _, tc := range []struct {
		lang               i18n.Choice
		dec, nov, firstDay string
	}{
		{"en", "December 2026", "November 2026", "Su"},
		{"zh-Hans", "2026年12月", "2026年11月", "一"},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			speak(t, tc.lang)
			var picked time.Time
			c := newCalendar(time.Date(2026, 12, 15, 9, 0, 0, 0, time.Local), time.Date(2026, 12, 10, 18, 0, 0, 0, time.Local),
				func(d time.Time) { picked = d })
			w := test.NewWindow(c)
			defer w.Close()
			texts := strings.Join(everyText(w), "|")
			if !strings.Contains(texts, tc.dec) {
				t.Fatalf("the heading is not %q: %s", tc.dec, texts)
			}
			if first := c.days.Objects[0].(*widget.Label).Text; first != tc.firstDay {
				t.Errorf("the week starts with %q, want %q", first, tc.firstDay)
			}
			if b := findButton(c, "9"); b == nil || !b.Disabled() {
				t.Error("a day before the earliest can be picked")
			}
			ten := findButton(c, "10")
			if ten == nil || ten.Disabled() {
				t.Fatal("the earliest day itself cannot be picked")
			}
			test.Tap(findButton(c, "12"))
			if want := time.Date(2026, 12, 12, 0, 0, 0, 0, time.Local); !picked.Equal(want) {
				t.Errorf("tapping 12 picked %v, want %v", picked, want)
			}
			var back *widget.Button
			walk(c, func(o fyne.CanvasObject) {
				if b, ok := o.(*widget.Button); ok && b.Text == "" && back == nil {
					back = b
				}
			})
			test.Tap(back)
			if texts := strings.Join(everyText(w), "|"); !strings.Contains(texts, tc.nov) {
				t.Errorf("the previous month's heading is not %q: %s", tc.nov, texts)
			}
			if b := findButton(c, "30"); b == nil || !b.Disabled() {
				t.Error("a day of the previous month can be picked")
			}
		})
	}
}

// A pop-up goes under its field when the window has room, above it when
// not, and never past the window's edges.
func TestPopUpPlaceStaysInTheWindow(t *testing.T) {
	win, small, tall := fyne.NewSize(760, 620), fyne.NewSize(260, 300), fyne.NewSize(260, 500)
	for _, tc := range []struct {
		at   fyne.Position
		size fyne.Size
		want fyne.Position
	}{
		{fyne.NewPos(20, 100), small, fyne.NewPos(20, 136)},   // room below
		{fyne.NewPos(20, 400), small, fyne.NewPos(20, 100)},   // above
		{fyne.NewPos(20, 200), tall, fyne.NewPos(20, 120)},    // neither: as low as fits
		{fyne.NewPos(700, 100), small, fyne.NewPos(500, 136)}, // right edge
	} {
		if got := popUpPlace(tc.at, 36, win, tc.size); got != tc.want {
			t.Errorf("a field at %v: pop-up at %v, want %v", tc.at, got, tc.want)
		}
	}
}
