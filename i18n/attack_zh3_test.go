package i18n

import (
	"os"
	"testing"
	"time"
)

// OnDay promises "the moment the clock on the wall shows h:min on the day
// y-m-d" and Send later's laterAt "on date's day even where the clocks
// skip that time". Greenland (America/Nuuk, America/Scoresbysund) moves
// its clocks with the EU at 01:00 UTC, which there is 23:00 on the
// Saturday: 23:00-23:59 of that Saturday does not exist. OnDay reads a
// time in it with the offset before the jump, which lands on the Sunday:
// Send later for Saturday 28 March 2026 at 23:30 in Nuuk is scheduled for
// Sunday 29 March 00:30, another day than the one picked (the outbox then
// shows the 29th). Every year, not a historical oddity.
func TestAttackZh3SendLaterInTheSkippedLastHourOfADayIsTheNextDay(t *testing.T) {
	if os.Getenv("STAMP_ATTACK") == "" {
		t.Skip("attack test")
	}
	for _, zone := range []string{"America/Nuuk", "America/Scoresbysund"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Skip(err)
		}
		at := OnDay(2026, time.March, 28, 23, 30, loc)
		if y, m, d := at.Date(); y != 2026 || m != time.March || d != 28 {
			t.Errorf("%s: OnDay(28 Mar 2026, 23:30) = %v: not on the 28th, the day chosen", zone, at)
		}
	}
}
