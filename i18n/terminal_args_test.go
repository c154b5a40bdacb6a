package i18n

import (
	"testing"
)

// Arguments typed at a terminal whose locale is not UTF-8 are read in its
// codeset, as a C program reads them; UTF-8 and unknown codesets change
// nothing, and bytes that are no text in the codeset are left as they are.
// The byte strings are written out by hand (GB18030 of 测试 is B2 E2 CA D4;
// é in Latin-1 is E9).
func TestArgumentsAreReadInTheTerminalsCodeset(t *testing.T) {
	for _, tc := range []struct {
		codeset, in, want, what string
	}{
		{"GB18030", "\xb2\xe2\xca\xd4", "测试", "Chinese typed on a GB18030 terminal"},
		{"GBK", "\xb2\xe2\xca\xd4", "测试", "Chinese typed on a GBK terminal"},
		{"gb2312", "Re: \xb2\xe2\xca\xd4", "Re: 测试", "ASCII and Chinese on glibc's zh_CN"},
		// Bytes that are text in both: the locale's codeset wins, as in a
		// C program: 通知 typed in GB18030 (CD A8 D6 AA) is also valid
		// UTF-8 (U+0368 U+05AA), and UTF-8 测试 (E6 B5 8B E8 AF 95) is
		// GB18030 娴嬭瘯.
		{"GB18030", "\xcd\xa8\xd6\xaa", "通知", "GB18030 that is also valid UTF-8 is read as GB18030"},
		{"GB18030", "\xe6\xb5\x8b\xe8\xaf\x95", "娴嬭瘯", "bytes valid in both read as the locale's"},
		// UTF-8 € (E2 82 AC) ends in half a GB18030 character: no GB18030
		// text, kept as it came (and then valid UTF-8).
		{"GB18030", "\xe2\x82\xac", "€", "UTF-8 that is no GB18030 is kept as it came"},
		{"GB18030", "\xb2", "\xb2", "half a character is kept as it came"},
		{"ISO-8859-1", "caf\xe9", "café", "Latin-1"},
		{"UTF-8", "\xb2\xe2", "\xb2\xe2", "a UTF-8 terminal changes nothing"},
		{"", "测试", "测试", "no locale changes nothing"},
		{"x-unknown", "\xb2\xe2", "\xb2\xe2", "an unknown codeset changes nothing"},
		{"GB18030", "--subject", "--subject", "ASCII"},
	} {
		if got := fromCodeset(tc.in, tc.codeset); got != tc.want {
			t.Errorf("%s (%s): %q → %q, want %q", tc.what, tc.codeset, tc.in, got, tc.want)
		}
	}
}
