package ui

import (
	"strings"
	"testing"
	"time"
)

func TestSendWarnings(t *testing.T) {
	ok := sendCheck{Subject: "Hi", Body: "Hello", Visible: 1, Size: 1000}
	for _, tc := range []struct {
		name string
		edit func(*sendCheck)
		want string // "" = no warning
	}{
		{"a normal message has no warning", func(*sendCheck) {}, ""},
		{"an empty subject is flagged", func(c *sendCheck) { c.Subject = "  " }, "subject is empty"},
		{"a body that mentions an attachment without one is flagged", func(c *sendCheck) { c.Body = "Please see the attached file." }, "mentions an attachment"},
		{"Chinese 附件 counts as a mention", func(c *sendCheck) { c.Body = "请查收附件。" }, "mentions an attachment"},
		{"a mention with a file attached is fine", func(c *sendCheck) { c.Body = "attached"; c.Attachments = 1 }, ""},
		{"a mention only in quoted text is ignored", func(c *sendCheck) { c.Body = "Thanks!\n> see attachment" }, ""},
		{"many visible recipients suggest Bcc", func(c *sendCheck) { c.Visible = 11 }, "consider putting them in Bcc"},
		{"above the server's SIZE is flagged", func(c *sendCheck) { c.Size = 2e6; c.SizeLimit = 1e6 }, "more than the 1.0 MB the server accepts"},
		{"above 25 MB is flagged when the server says nothing", func(c *sendCheck) { c.Size = 30e6 }, "many mail servers accept"},
		{"a possibly delivered message asks before a second copy", func(c *sendCheck) { c.PossiblySent = true }, "may already have been delivered — send it again?"},
		{"a message whose earlier version was sent asks before sending this one", func(c *sendCheck) { c.SentEarlier = time.Date(2026, 12, 4, 15, 4, 0, 0, time.Local) }, "An earlier version of this message was sent on Fri 4 Dec 15:04"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.edit(&c)
			got := strings.Join(sendWarnings(c), " | ")
			if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
				t.Fatalf("warnings = %q, want %q", got, tc.want)
			}
		})
	}
}
