package i18n

import (
	"strings"

	"fmt"
	"time"

	"golang.org/x/text/message"
)

// Number formats n with the current language's digit grouping ("1,234,567").
func Number(n int64) string {
	return message.NewPrinter(Language()).Sprintf("%d", n)
}

// Size formats a byte count the way mail providers state their limits
// (decimal units: a "25 MB" limit is 25,000,000 bytes), in the current
// language ("1 byte", "512 bytes", "1.5 MB"; "512 字节"). The unit is chosen
// after rounding: 999,950 bytes is "1.0 MB", never "1000.0 kB".
func Size(n int64) string {
	switch {
	case n < 1000:
		return N("size.bytes", "{{.Count}} byte", "{{.Count}} bytes", int(n))
	case n < 999_950: // rounds to at most 999.9 kB
		return T("size.kb", "{{.Value}} kB", map[string]any{"Value": fmt.Sprintf("%.1f", float64(n)/1e3)})
	case n < 999_950_000: // rounds to at most 999.9 MB
		return T("size.mb", "{{.Value}} MB", map[string]any{"Value": fmt.Sprintf("%.1f", float64(n)/1e6)})
	default:
		return T("size.gb", "{{.Value}} GB", map[string]any{"Value": fmt.Sprintf("%.2f", float64(n)/1e9)})
	}
}

// ShortTime is how notices and questions name a moment, in local time
// ("Fri 4 Dec 15:04"; "12月4日 周五 15:04"). The translation is a Go time
// layout (reference time Mon Jan 2 15:04:05 2006); weekday names come from
// the "time.weekday.*" keys.
func ShortTime(t time.Time) string {
	t = t.Local()
	s := t.Format(T("time.short_layout", "Mon 2 Jan 15:04"))
	if Language() != English {
		s = strings.Replace(s, "{weekday}", weekdays()[t.Weekday()], 1)
	}
	return s
}

func weekdays() [7]string {
	return [7]string{
		T("time.weekday.sun", "Sun"), T("time.weekday.mon", "Mon"), T("time.weekday.tue", "Tue"),
		T("time.weekday.wed", "Wed"), T("time.weekday.thu", "Thu"), T("time.weekday.fri", "Fri"), T("time.weekday.sat", "Sat"),
	}
}

// Duration formats a wait or an elapsed time to the second in the current
// language ("45 s", "2 min 5 s", "1 h 3 min"; "45 秒", "2 分 5 秒").
func Duration(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	data := map[string]any{"Hours": h, "Minutes": m, "Seconds": s}
	switch {
	case h > 0:
		return T("duration.hours", "{{.Hours}} h {{.Minutes}} min", data)
	case m > 0 && s > 0:
		return T("duration.minutes_seconds", "{{.Minutes}} min {{.Seconds}} s", data)
	case m > 0:
		return T("duration.minutes", "{{.Minutes}} min", data)
	default:
		return T("duration.seconds", "{{.Seconds}} s", data)
	}
}
