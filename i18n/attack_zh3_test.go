package i18n

import (
	"testing"
	"time"
)

// Greenland (America/Nuuk, America/Scoresbysund) moves its clocks with
// the EU at 01:00 UTC, which there is 23:00 on the Saturday: 23:00-23:59
// of that Saturday does not exist. A time in it is read with the offset
// before the jump (as mktime does): Saturday 23:30 is the instant that
// would have been 23:30, which the clocks show as Sunday 00:30. The
// message leaves when the person meant; the day shown is the Sunday
// (the reviewer's round-3 finding 6, kept as the documented rule).
func TestATimeSkippedAtTheEndOfADayIsTheInstantMeant(t *testing.T) {
	for _, zone := range []string{"America/Nuuk", "America/Scoresbysund"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Skip(err)
		}
		at := OnDay(2026, time.March, 28, 23, 30, loc)
		// 23:30 at -02:00 (Nuuk's offset before the jump) is 01:30 UTC.
		if want := time.Date(2026, time.March, 29, 1, 30, 0, 0, time.UTC); !at.Equal(want) {
			t.Errorf("%s: OnDay(28 Mar 2026, 23:30) = %v, want the instant %v", zone, at, want)
		}
	}
}
