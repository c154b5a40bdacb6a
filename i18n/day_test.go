package i18n

import (
	"testing"
	"time"
)

// A day begins at its midnight, or where the clocks skip midnight at the
// moment they jump to; a time of day the clocks skip is read as they would
// have shown it before the jump. The instants expected are written in UTC
// from the zones' published rules, not computed.
func TestADayStartsOnThatDayWhereverTheClocksJump(t *testing.T) {
	utc := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	for _, tc := range []struct {
		zone          string
		y             int
		m             time.Month
		d, h, min     int
		want          time.Time
		wantDay, what string
	}{
		// Chile, first Sunday of September 2027: 00:00 -04 → 01:00 -03.
		{"America/Santiago", 2027, 9, 5, 0, 0, utc(2027, 9, 5, 4, 0), "2027-09-05 01:00", "the day's start"},
		{"America/Santiago", 2027, 9, 5, 0, 30, utc(2027, 9, 5, 4, 30), "2027-09-05 01:30", "a skipped half hour"},
		{"America/Santiago", 2027, 9, 5, 9, 30, utc(2027, 9, 5, 12, 30), "2027-09-05 09:30", "a morning"},
		{"America/Santiago", 2027, 9, 4, 0, 0, utc(2027, 9, 4, 4, 0), "2027-09-04 00:00", "the day before"},
		// Cuba, 14 March 2027: 00:00 CST → 01:00 CDT.
		{"America/Havana", 2027, 3, 14, 0, 0, utc(2027, 3, 14, 5, 0), "2027-03-14 01:00", "the day's start"},
		// Lebanon, 28 March 2027: 00:00 EET → 01:00 EEST.
		{"Asia/Beirut", 2027, 3, 28, 0, 0, utc(2027, 3, 27, 22, 0), "2027-03-28 01:00", "the day's start"},
		// A gap inside the day, east and west of Greenwich.
		{"Europe/Paris", 2027, 3, 28, 2, 30, utc(2027, 3, 28, 1, 30), "2027-03-28 03:30", "a skipped half hour"},
		{"America/New_York", 2027, 3, 14, 2, 30, utc(2027, 3, 14, 7, 30), "2027-03-14 03:30", "a skipped half hour"},
		{"Europe/Paris", 2027, 9, 5, 0, 0, utc(2027, 9, 4, 22, 0), "2027-09-05 00:00", "an ordinary midnight"},
	} {
		loc, err := time.LoadLocation(tc.zone)
		if err != nil {
			t.Skip("no tzdata:", err)
		}
		got := OnDay(tc.y, tc.m, tc.d, tc.h, tc.min, loc)
		if tc.h == 0 && tc.min == 0 {
			if start := DayStart(tc.y, tc.m, tc.d, loc); !start.Equal(tc.want) {
				t.Errorf("%s %d-%d-%d, %s: DayStart = %v, want %v", tc.zone, tc.y, tc.m, tc.d, tc.what, start, tc.want.In(loc))
			}
		}
		if !got.Equal(tc.want) || got.Format("2006-01-02 15:04") != tc.wantDay {
			t.Errorf("%s %d-%d-%d %02d:%02d, %s: OnDay = %v, want %v (%s)", tc.zone, tc.y, tc.m, tc.d, tc.h, tc.min, tc.what, got, tc.want.In(loc), tc.wantDay)
		}
	}
}
