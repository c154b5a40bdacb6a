package ui

import "stamp/i18n"

// humanSize formats a byte count the way mail providers state their limits
// (decimal units: a "25 MB" limit is 25,000,000 bytes), in the person's
// language (i18n.Size).
func humanSize(n int64) string { return i18n.Size(n) }
