package mailto

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzParse: whatever the link, Parse never panics, and what it returns is
// safe to put in a form: UTF-8, no NUL, single-line fields without line
// breaks, a body with "\n" breaks only; and Build gives back the same parts.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"mailto:chris@example.com",
		"mailto:infobot@example.com?body=send%20current-issue%0D%0Asend%20index",
		"mailto:list@example.org?In-Reply-To=%3C3469A91.D10AF4C@example.com%3E",
		"mailto:joe@example.com?cc=bob@example.com?body=hello",
		"mailto:%22%5C%5C%5C%22it's%5C%20ugly%5C%5C%5C%22%22@example.org",
		"mailto:user@example.org?subject=%3D%3Fiso-8859-1%3FQ%3Fcaf%3DE9%3F%3D",
		"mailto:a@x.example%0D%0ABcc:evil@x.example?attach=/etc/passwd#x",
		"mailto:?subject=%3D%3Futf-8%3FB%3FYQ0KYg%3D%3D%3F%3D",
		"mailto:?subject=Why%20%3D%3Futf-8%3Fq%3FHello%3F%3D%20is%20not%20%3D%3Fx%3F",
		"mailto:%22Ann%E2%80%AEx%22%20%3Ca@x.example%3E?subject=a%C2%85b%1B%5B2J&body=x%0Cy",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		l, err := Parse(raw)
		if err != nil {
			return
		}
		for _, v := range append(append(append([]string{l.Subject}, l.To...), l.Cc...), l.Bcc...) {
			if !utf8.ValidString(v) || strings.ContainsAny(v, "\r\n\x00\u0085\u2028\u2029") {
				t.Fatalf("Parse(%q): single-line field %q holds a line break, a NUL or invalid UTF-8", raw, v)
			}
			for _, r := range v {
				if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
					t.Fatalf("Parse(%q): single-line field %q holds %U", raw, v, r)
				}
			}
		}
		if !utf8.ValidString(l.Body) || strings.ContainsAny(l.Body, "\r\x00") {
			t.Fatalf("Parse(%q): body %q holds a CR, a NUL or invalid UTF-8", raw, l.Body)
		}
		for _, r := range l.Body {
			if unicode.IsControl(r) && r != '\t' && r != '\n' {
				t.Fatalf("Parse(%q): body %q holds %U", raw, l.Body, r)
			}
		}
		back, err := Parse(Build(*l))
		if err != nil {
			t.Fatalf("Parse(Build(Parse(%q))): %v", raw, err)
		}
		if strings.Join(back.To, "\x00") != strings.Join(l.To, "\x00") || strings.Join(back.Cc, "\x00") != strings.Join(l.Cc, "\x00") ||
			strings.Join(back.Bcc, "\x00") != strings.Join(l.Bcc, "\x00") || back.Body != l.Body || back.Subject != l.Subject {
			t.Fatalf("round trip of %q changed it: %+v -> %+v", raw, l, back)
		}
	})
}
