package main

import (
	"testing"
	"time"
)

// Send later in the app places a day whose midnight the clocks skip on
// that day (i18n.OnDay, attack zh2 #1), but stamp-send --queue --at
// "2027-09-05 00:30" still reads the local time with time.ParseInLocation:
// in Chile (America/Santiago, 00:00 -> 01:00 on 5 Sep 2027; also Havana,
// Beirut, Asunción) it is scheduled for 23:30 on the 4th, the evening
// before, an hour and a day earlier than asked.
func TestAttackZh3QueueAtOnAMidnightDSTDayIsTheDayBefore(t *testing.T) {
	loc, err := time.LoadLocation("America/Santiago")
	if err != nil {
		t.Skip(err)
	}
	saved := time.Local
	time.Local = loc
	t.Cleanup(func() { time.Local = saved })
	for _, s := range []string{"2027-09-05 00:30", "2027-09-05 00:00", "2027-09-05T00:15"} {
		at, err := parseAt(s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		if y, m, d := at.In(loc).Date(); y != 2027 || m != time.September || d != 5 {
			t.Errorf("TZ=America/Santiago stamp-send --queue --at %q: scheduled for %v, the day before", s, at.In(loc))
		}
	}
}
