package smtpclient

import "testing"

func TestColonHexPairsUpperCaseDigitsWithColons(t *testing.T) {
	for in, want := range map[string]string{
		"":         "",
		"ab":       "AB",
		"0a1b2c3d": "0A:1B:2C:3D",
		"ABcdE":    "AB:CD", // a stray last digit is not a pair
	} {
		if got := ColonHex(in); got != want {
			t.Errorf("ColonHex(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClipCutsOnACharacterBoundaryAndMarksTheCut(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly", 7, "exactly"},
		{"abcdefgh", 4, "abcd…"},
		{"ab授权码", 4, "ab…"}, // 授 is 3 bytes: not cut in half
		{"ab授权码", 5, "ab授…"},
	} {
		if got := Clip(tc.in, tc.n); got != tc.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}
