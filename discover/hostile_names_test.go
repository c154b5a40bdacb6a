package discover

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// A settings file's names reach people: the provider's names are kept
// Printable, a user name with a line feed or a bidi override makes its
// server not usable (it would end up in an account), and an invalid host
// name is kept only Printable, to be shown (ATTACK1 D-A).
func TestParseConfigKeepsAHostileFilesNamesShowable(t *testing.T) {
	xml := `<clientConfig version="1.1"><emailProvider id="example.test">
<displayName>Example&#10;=== FAKE&#x9b;&#x202e;</displayName><displayShortName>Ex&#x7f;&#13;</displayShortName>
<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>465</port><socketType>SSL</socketType>
<username>ann&#10;FAKE&#x202e;</username></outgoingServer>
<outgoingServer type="smtp"><hostname>bad&#x202e;&#10;FAKE.example.test</hostname><port>587</port><socketType>STARTTLS</socketType></outgoingServer>
</emailProvider></clientConfig>`
	c, err := ParseConfig([]byte(xml), "ann@example.test")
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string]string{"displayName": c.DisplayName, "displayShortName": c.ShortName} {
		if strings.ContainsAny(got, "\n\r\u009b\u202e\x7f") {
			t.Errorf("%s kept a raw control: %q", name, got)
		}
	}
	if c.DisplayName != `Example\x0a=== FAKE\u009b\u202e` {
		t.Errorf("displayName = %q, want its visible escapes", c.DisplayName)
	}
	if len(c.Outgoing) != 2 {
		t.Fatalf("%d servers, want 2", len(c.Outgoing))
	}
	s := c.Outgoing[0]
	if s.NotUsable == "" || !strings.Contains(s.NotUsable, "username") {
		t.Errorf("a user name with a line feed is usable (NotUsable %q)", s.NotUsable)
	}
	if strings.ContainsAny(s.Username+s.UsernameTemplate, "\n\u202e") {
		t.Errorf("the user name is kept raw: %q / %q", s.UsernameTemplate, s.Username)
	}
	h := c.Outgoing[1]
	if h.NotUsable == "" || strings.ContainsAny(h.Hostname, "\n\u202e") {
		t.Errorf("hostname %q (NotUsable %q): want not usable and shown escaped", h.Hostname, h.NotUsable)
	}
	if c.Usable() {
		t.Error("a file whose every server is hostile is usable")
	}
}

// clipReason cuts a long reason on a character boundary (ATTACK1 D-B).
func TestClipReasonCutsOnACharacterBoundary(t *testing.T) {
	for pad := 0; pad < 3; pad++ {
		got := clipReason(errors.New(strings.Repeat("a", pad) + strings.Repeat("中", 200)))
		if !utf8.ValidString(got) || !strings.HasSuffix(got, "…") || len(got) > 300+len("…") {
			t.Errorf("pad %d: %q (%d bytes)", pad, got, len(got))
		}
	}
}
