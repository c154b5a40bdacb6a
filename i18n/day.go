package i18n

import "time"

// DayStart is the first moment of the day y-m-d in loc: its midnight or,
// where the clocks skip midnight (Chile, Paraguay, Cuba and Lebanon go
// from 00:00 straight to 01:00 on the day summer time starts), the moment
// they skip to. time.Date gives such a day's missing midnight as 23:00
// the day BEFORE in zones west of Greenwich; DayStart always returns a
// moment whose date in loc is y-m-d. Days are normalised as by time.Date
// (31 September is 1 October).
func DayStart(y int, m time.Month, d int, loc *time.Location) time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, loc)
	y, m, d = time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Date() // the day asked for, normalised
	for i := 0; i < 3 && !sameDay(t, y, m, d); i++ {
		// Midnight fell into the gap and came back as the evening
		// before: the day starts where that zone period ends, when the
		// clocks jump.
		_, end := t.ZoneBounds()
		if end.IsZero() || !end.After(t) {
			break
		}
		t = end
	}
	return t
}

// OnDay is the moment the clock on the wall shows h:min on the day y-m-d
// in loc. A time the clocks skip (00:30 where they go from 00:00 to 01:00,
// 02:30 where they go from 02:00 to 03:00) is read with the offset in
// force before the jump, as the clocks would have shown it then, like C's
// mktime: 00:30 becomes 01:30. time.Date instead gives some of these as
// the hour before, in zones west of Greenwich 23:30 the day before.
// Where the skipped hour ends the day (Greenland: Saturday 23:00-23:59 in
// March), the instant meant falls on the next day by the new clocks
// (23:30 is shown as 00:30): the moment is kept, not the day.
// h and min are a time of day (0-23, 0-59).
func OnDay(y int, m time.Month, d, h, min int, loc *time.Location) time.Time {
	at := time.Date(y, m, d, h, min, 0, 0, loc)
	if sameDay(at, y, m, d) && at.Hour() == h && at.Minute() == min {
		return at
	}
	// The wall clock never shows h:min that day: it lies in a gap. Of the
	// offsets in force around it, the one before the jump is the smaller
	// (clocks go forward), which reads h:min as the later moment.
	latest := at
	for _, near := range []time.Time{at.Add(-12 * time.Hour), at.Add(12 * time.Hour)} {
		_, offset := near.Zone()
		if c := time.Date(y, m, d, h, min, 0, 0, time.FixedZone("", offset)).In(loc); c.After(latest) {
			latest = c
		}
	}
	return latest
}

func sameDay(t time.Time, y int, m time.Month, d int) bool {
	ty, tm, td := t.Date()
	return ty == y && tm == m && td == d
}
