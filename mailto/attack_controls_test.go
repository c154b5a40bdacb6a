package mailto

import (
	"strings"
	"testing"
	"unicode"
)

// Finding 4: Subject is promised to be one line, and oneLine takes out only
// CR and LF. Unicode's other line breaks (NEL U+0085, LINE SEPARATOR
// U+2028, PARAGRAPH SEPARATOR U+2029), C0 controls such as ESC and
// vertical tab, and bidi overrides pass from a link into the subject and
// into addresses' display names: the subject shows on several lines in
// the recipient's client (a fake "Bcc: …" line under it), and an escape
// sequence reaches any terminal that prints the subject.
func TestAttackSubjectKeepsUnicodeLineBreaksAndControls(t *testing.T) {
	for _, enc := range []string{"%C2%85", "%E2%80%A8", "%E2%80%A9", "%0B", "%0C", "%1B%5B2J", "%E2%80%AE"} {
		l, err := Parse("mailto:ann@example.com?subject=Invoice" + enc + "Bcc:%20boss@example.com")
		if err != nil {
			continue // refused: held
		}
		for _, r := range l.Subject {
			if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r) {
				t.Errorf("subject from %s holds %U: %q (notes %q)", enc, r, l.Subject, l.Notes)
				break
			}
		}
		if len(l.Notes) == 0 || !l.LineBreaks && !l.Controls {
			t.Errorf("subject from %s was changed to %q without a note", enc, l.Subject)
		}
		if !strings.Contains(l.Subject, "Invoice") || !strings.Contains(l.Subject, "Bcc: boss@example.com") {
			t.Errorf("subject from %s lost its text: %q", enc, l.Subject)
		}
	}
	l, err := Parse("mailto:ann@example.com?body=Hi%1B%5B2J%09there%0D%0Abye")
	if err != nil || l.Body != "Hi[2J\tthere\nbye" || !l.Controls {
		t.Errorf("body with ESC: %q, %v (notes %q)", l.Body, err, l.Notes)
	}
	l, err = Parse("mailto:%22Ann%E2%80%A8Bcc:%20boss%22%20%3Cann@example.com%3E")
	if err == nil && strings.ContainsRune(strings.Join(l.To, ""), '\u2028') {
		t.Errorf("a display name holds U+2028: %q", l.To)
	}
}
