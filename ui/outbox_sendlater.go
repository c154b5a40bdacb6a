package ui

import (
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stamp/i18n"
)

// morningHour is when "tomorrow morning" and "Monday morning" leave.
const morningHour = 8

// sendLaterButton is "Send later…" beside Send (hidden without an outbox).
func (c *Composer) sendLaterButton() fyne.CanvasObject {
	b := widget.NewButtonWithIcon(lang.X("outbox.send_later", "Send later…"), theme.HistoryIcon(), c.ShowSendLater)
	if c.opts.Outbox == nil {
		b.Hide()
	}
	return b
}

// quickTimes are Send later's quick choices at now: in an hour, tomorrow
// at 08:00, and the next Monday at 08:00 (a week on when today is Monday).
func quickTimes(now time.Time) (hour, tomorrow, monday time.Time) {
	y, m, d := now.Date()
	morning := time.Date(y, m, d, morningHour, 0, 0, 0, now.Location())
	days := (int(time.Monday) - int(now.Weekday()) + 7) % 7
	if days == 0 {
		days = 7
	}
	return now.Add(time.Hour), morning.AddDate(0, 0, 1), morning.AddDate(0, 0, days)
}

// parseClock reads a time of day "8:00" or "08:00".
func parseClock(s string) (hour, minute int, err error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, 0, errors.New(lang.X("outbox.bad_time", "Write the time as hours and minutes, for example 08:30."))
	}
	return t.Hour(), t.Minute(), nil
}

// laterAt is the time the picker's date and clock name (local time, on
// date's day even where the clocks skip that time: i18n.OnDay); it must
// be in the future.
func laterAt(date *time.Time, clock string, now time.Time) (time.Time, error) {
	if date == nil {
		return time.Time{}, errors.New(lang.X("outbox.no_date", "Choose a day."))
	}
	h, m, err := parseClock(clock)
	if err != nil {
		return time.Time{}, err
	}
	y, mo, d := date.Date()
	at := i18n.OnDay(y, mo, d, h, m, now.Location())
	if !at.After(now) {
		return time.Time{}, errors.New(lang.X("outbox.in_past", "That time has passed: choose a later one."))
	}
	return at, nil
}

// quickLabel is a quick choice's button: its name and when it leaves, in
// the language's brackets ("In an hour (Fri 4 Dec 21:55)", "一小时后（12月4日 周五 21:55）").
func quickLabel(name string, at time.Time) string {
	return lang.X("outbox.quick_choice", "{{.Choice}} ({{.When}})", map[string]any{"Choice": name, "When": shortTime(at)})
}

// ShowSendLater asks when the message should leave: a quick choice or a
// day and time. The message then goes into the outbox as Scheduled.
func (c *Composer) ShowSendLater() {
	if c.opts.Outbox == nil {
		return
	}
	if reason := c.blocker(); reason != "" {
		c.showDialog(dialog.NewInformation(lang.X("outbox.not_ready", "Not ready to send"), reason, c.Window))
		return
	}
	now := time.Now()
	hour, tomorrow, monday := quickTimes(now)
	var dlg dialog.Dialog
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	problem.Hide()
	choose := func(at time.Time) {
		if !at.After(time.Now()) { // the dialog was left open past it
			problem.SetText(lang.X("outbox.in_past", "That time has passed: choose a later one."))
			problem.Show()
			return
		}
		dlg.Hide()
		c.sendAt = at
		c.TrySend()
		if !c.confirming {
			c.sendAt = time.Time{} // used, or the send did not start
		}
	}
	// The quick choices are checked when tapped: a dialog left open never
	// sends at a time already past. "In an hour" is an hour from the tap;
	// a morning that has passed brings the labels up to date and asks
	// again.
	labels := []string{lang.X("outbox.in_an_hour", "In an hour"), lang.X("outbox.tomorrow_morning", "Tomorrow morning"), lang.X("outbox.monday_morning", "Monday morning")}
	buttons := make([]*widget.Button, len(labels))
	shown := []time.Time{hour, tomorrow, monday}
	for i := range buttons {
		buttons[i] = widget.NewButton(quickLabel(labels[i], shown[i]), func() {
			h, t, m := quickTimes(time.Now())
			if i == 0 {
				choose(h)
				return
			}
			if !shown[i].After(time.Now()) {
				shown = []time.Time{h, t, m}
				for j, b := range buttons {
					b.SetText(quickLabel(labels[j], shown[j]))
				}
				problem.SetText(lang.X("outbox.in_past", "That time has passed: choose a later one."))
				problem.Show()
				return
			}
			choose(shown[i])
		})
	}
	date := newDayEntry(tomorrow, c.Window.Canvas()) // outbox_sendlater_day.go
	clock := widget.NewEntry()
	clock.SetText(fmt.Sprintf("%02d:00", morningHour))
	clock.Validator = func(s string) error { _, _, err := parseClock(s); return err }
	schedule := widget.NewButtonWithIcon(lang.X("outbox.schedule", "Schedule"), theme.ConfirmIcon(), func() {
		if err := date.entry.Validate(); err != nil && date.entry.Text != "" {
			problem.SetText(err.Error())
			problem.Show()
			return
		}
		at, err := laterAt(date.day, clock.Text, time.Now())
		if err != nil {
			problem.SetText(err.Error())
			problem.Show()
			return
		}
		choose(at)
	})
	content := container.NewVBox(
		buttons[0], buttons[1], buttons[2],
		widget.NewSeparator(),
		widget.NewForm(
			widget.NewFormItem(lang.X("outbox.day", "Day"), date.entry),
			widget.NewFormItem(lang.X("outbox.time", "Time"), clock)),
		problem,
		schedule,
	)
	dlg = dialog.NewCustom(lang.X("outbox.send_later_title", "Send later"), lang.X("outbox.cancel", "Cancel"), content, c.Window)
	dlg.Resize(fyne.NewSize(380, 360))
	c.showDialog(dlg)
}
