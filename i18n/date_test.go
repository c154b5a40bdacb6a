package i18n

import (
	"testing"
	"time"
)

func TestDatesAreWrittenTheLanguagesUnambiguousWay(t *testing.T) {
	day := time.Date(2026, time.December, 5, 8, 30, 0, 0, time.Local)
	for _, tc := range []struct {
		lang           Choice
		date, dateTime string
	}{
		{"en", "5 Dec 2026", "5 Dec 2026 08:30"},
		{"zh-Hans", "2026年12月5日", "2026年12月5日 08:30"},
	} {
		SetLanguage(tc.lang.Resolve())
		if got := Date(day); got != tc.date {
			t.Errorf("%s: Date = %q, want %q", tc.lang, got, tc.date)
		}
		if got := DateTime(day); got != tc.dateTime {
			t.Errorf("%s: DateTime = %q, want %q", tc.lang, got, tc.dateTime)
		}
		for _, typed := range []string{tc.date, "2026-12-05", "2026/12/5", " 5 Dec  2026 ", "5 December 2026", "2026年12月5日"} {
			got, ok := ParseDate(typed)
			if !ok || !got.Equal(time.Date(2026, time.December, 5, 0, 0, 0, 0, time.Local)) {
				t.Errorf("%s: ParseDate(%q) = %v, %v; want 5 December 2026", tc.lang, typed, got, ok)
			}
		}
		for _, typed := range []string{"05/12/2026", "12/05/2026", "", "tomorrow", "2026-13-01"} {
			if got, ok := ParseDate(typed); ok {
				t.Errorf("%s: ParseDate(%q) = %v; want it refused", tc.lang, typed, got)
			}
		}
	}
	SetLanguage(English)
}
