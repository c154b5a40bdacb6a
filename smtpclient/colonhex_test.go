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
