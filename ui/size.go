package ui

import "fmt"

// humanSize formats a byte count the way mail providers state their limits
// (decimal units: a "25 MB" limit is 25,000,000 bytes).
func humanSize(n int64) string {
	switch {
	case n < 1000:
		if n == 1 {
			return "1 byte"
		}
		return fmt.Sprintf("%d bytes", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	case n < 1000*1000*1000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	default:
		return fmt.Sprintf("%.2f GB", float64(n)/1e9)
	}
}
