package i18n

import (
	"strings"
	"time"
)

// Date is how a day is written in the current language, in local time,
// unambiguous in both ("5 Dec 2026"; "2026年12月5日"), never the
// 05/12/2026 whose order depends on the country. The translation is a Go
// time layout (key "time.date_layout").
func Date(t time.Time) string {
	return t.Local().Format(dateLayout())
}

// DateTime is Date with the time of day ("5 Dec 2026 08:30";
// "2026年12月5日 08:30"), for a moment that may be far from today.
func DateTime(t time.Time) string {
	return t.Local().Format(T("time.datetime_layout", "2 Jan 2006 15:04"))
}

func dateLayout() string { return T("time.date_layout", "2 Jan 2006") }

// ParseDate reads a day a person typed, as the first moment of that day in
// local time (DayStart: midnight, or 01:00 where the clocks skip midnight
// that day; its Date() is always the day typed): the current
// language's form (Date's), or any of the unambiguous forms people type
// whatever the language ("2026-12-05", "2026/12/5", "5 Dec 2026",
// "5 December 2026", "2026年12月5日"). A country-ordered form such as
// 05/12/2026 is refused: it means two different days.
func ParseDate(s string) (time.Time, bool) {
	s = strings.Join(strings.Fields(s), " ")
	for _, layout := range []string{dateLayout(), "2006-1-2", "2006/1/2", "2 Jan 2006", "2 January 2006", "2006年1月2日", "2006 年 1 月 2 日"} {
		// Read as a calendar date (UTC has no gaps), then placed in local
		// time: a local midnight the clocks skip would parse as 23:00 the
		// day before.
		if t, err := time.Parse(layout, s); err == nil {
			return DayStart(t.Year(), t.Month(), t.Day(), time.Local), true
		}
	}
	return time.Time{}, false
}
