package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"stamp/i18n"
	"stamp/smtpclient/sandbox"
)

// Send later's day is shown and typed the way the language writes a date:
// Chinese as 2026年12月5日, English as 5 Dec 2026; never Fyne's 05/12/2026,
// whose order depends on the country.
func TestSendLaterDateFollowsTheLanguage(t *testing.T) {
	for _, tc := range []struct {
		lang     i18n.Choice
		schedule string
		notice   string
	}{
		{"zh-Hans", "定时发送", "已定时"},
		{"en", "Schedule", "Scheduled:"},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			speak(t, tc.lang)
			_, cfg := plainServer(t, sandbox.Options{})
			r := newOutboxRig(t, t.TempDir(), 0, cfg, true)
			c := r.c
			typeMessage(c, "Later "+string(tc.lang))
			c.ShowSendLater()
			top := c.Window.Canvas().Overlays().Top()
			var day, clock *widget.Entry
			walk(top, func(o fyne.CanvasObject) {
				if e, ok := o.(*widget.DateEntry); ok { // Fyne's, before Stamp's own
					day = &e.Entry
				}
				if e, ok := o.(*widget.Entry); ok {
					if e.ActionItem != nil {
						day = e
					} else {
						clock = e
					}
				}
			})
			if day == nil || clock == nil {
				t.Fatalf("no day and time entries in the dialog: %s", dialogText(top))
			}
			tomorrow := time.Now().AddDate(0, 0, 1)
			if want := dayAsWritten(tc.lang, tomorrow); day.Text != want {
				t.Errorf("the day shows %q, want %q", day.Text, want)
			}

			// The calendar button picks a day and writes it the same way.
			test.Tap(day.ActionItem.(*widget.Button))
			var cal *calendar
			walk(c.Window.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
				if k, ok := o.(*calendar); ok {
					cal = k
				}
			})
			if cal == nil {
				t.Fatal("the calendar button showed no calendar")
			}
			test.Tap(findButton(c.Window.Canvas().Overlays().Top(), "28"))
			picked := time.Date(tomorrow.Year(), tomorrow.Month(), 28, 0, 0, 0, 0, time.Local)
			if want := dayAsWritten(tc.lang, picked); day.Text != want {
				t.Errorf("after picking the 28th the day shows %q, want %q", day.Text, want)
			}

			// A country-ordered day is refused, naming the form to use.
			day.SetText("")
			test.Type(day, "05/12/2027")
			test.Tap(findButton(top, tc.schedule))
			if texts := dialogText(top); !strings.Contains(texts, dayAsWritten(tc.lang, tomorrow)) {
				t.Errorf("05/12/2027 gave no problem naming the form %q: %s", dayAsWritten(tc.lang, tomorrow), texts)
			}
			if n := len(r.u.Waiting()); n != 0 {
				t.Fatalf("an ambiguous day queued %d messages", n)
			}

			// The language's own form, typed, schedules that day.
			target := time.Now().AddDate(0, 1, 10)
			day.SetText("")
			test.Type(day, dayAsWritten(tc.lang, target))
			clock.SetText("")
			test.Type(clock, "09:30")
			test.Tap(findButton(top, tc.schedule))
			waitFor(t, "the scheduled notice", func() bool { return strings.HasPrefix(c.Notice.Text, tc.notice) })
			list := r.u.Waiting()
			want := time.Date(target.Year(), target.Month(), target.Day(), 9, 30, 0, 0, time.Local)
			if len(list) != 1 || !list[0].NextAttempt.Equal(want) {
				t.Fatalf("outbox: %+v; want one message at %v", list, want)
			}
		})
	}
}
