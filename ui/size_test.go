package ui

import "testing"

func TestHumanSizeUsesTheUnitsProvidersStateLimitsIn(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want string
	}{
		{0, "0 bytes"}, {1, "1 byte"}, {999, "999 bytes"}, {1000, "1.0 kB"},
		{1536, "1.5 kB"}, {25_000_000, "25.0 MB"}, {4 << 30, "4.29 GB"},
	} {
		if got := humanSize(tc.n); got != tc.want {
			t.Errorf("humanSize(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestEncodedSizeCountsBase64AndLineBreaks(t *testing.T) {
	for _, tc := range []struct{ n, want int64 }{
		{0, 0},
		{1, 4 + 2},           // one quantum, one line
		{57, 76 + 2},         // exactly one full line
		{58, 76 + 2 + 4 + 2}, // spills into a second line
		{3 << 20, (4 << 20) + ((4<<20)+75)/76*2},
	} {
		if got := encodedSize(tc.n); got != tc.want {
			t.Errorf("encodedSize(%d) = %d, want %d", tc.n, got, tc.want)
		}
	}
}
