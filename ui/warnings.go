package ui

import (
	"regexp"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"
)

// defaultSizeLimit is what many providers accept when the server does not
// say (Gmail and Outlook.com: 25 MB, counted after encoding).
const defaultSizeLimit = 25_000_000

// manyVisible is how many To+Cc addresses make Stamp suggest Bcc.
const manyVisible = 10

// attachmentWords are words that, in a body without attachments, usually mean
// one was forgotten. Quoted lines ("> ...") are not looked at.
var attachmentWords = regexp.MustCompile(`(?i)\b(attach(ed|ment|ments|ing)?|enclosed|see the file|pi[eè]ces? jointes?|adjunt[oa]s?|anbei|anhang|allegat[oi]|bijlage|vedlagt|bifogad)\b|附件|添付|첨부`)

// sendCheck is what the pre-send warnings look at.
type sendCheck struct {
	Subject     string
	Body        string
	Visible     int   // To + Cc addresses
	Attachments int   // number of files
	Size        int64 // estimated size of the whole message in bytes
	SizeLimit   int64 // the server's SIZE, 0 when unknown
	// PossiblySent: an earlier send of this message may have been delivered
	// (its final reply never came, or Stamp stopped during it).
	PossiblySent bool
	// SentEarlier: when the server accepted an earlier version of this
	// message (the form holds changes made during that send); zero if never.
	SentEarlier time.Time
}

// sendWarnings lists what is worth a second look before sending; each can be
// overridden with "send anyway".
func sendWarnings(c sendCheck) []string {
	var w []string
	// A second copy cannot be taken back: these come first.
	if c.PossiblySent {
		w = append(w, lang.X("warn.possibly_sent", "This message may already have been delivered — send it again?\nThe server never confirmed the last send; the recipients may get it twice."))
	}
	if !c.SentEarlier.IsZero() {
		w = append(w, lang.X("warn.sent_earlier", "An earlier version of this message was sent on {{.When}} — send this version too?", map[string]any{"When": shortTime(c.SentEarlier)}))
	}
	if strings.TrimSpace(c.Subject) == "" {
		w = append(w, lang.X("warn.no_subject", "The subject is empty."))
	}
	if c.Attachments == 0 && mentionsAttachment(c.Body) {
		w = append(w, lang.X("warn.forgot_attachment", "The message mentions an attachment, but nothing is attached."))
	}
	if c.Visible > manyVisible {
		w = append(w, lang.X("warn.many_visible", "{{.Count}} people in To and Cc will all see each other's addresses; consider putting them in Bcc.", map[string]any{"Count": c.Visible}))
	}
	if c.SizeLimit > 0 && c.Size > c.SizeLimit {
		w = append(w, lang.X("warn.too_big_server", "The message weighs about {{.Size}}, more than the {{.Limit}} the server accepts.", map[string]any{"Size": humanSize(c.Size), "Limit": humanSize(c.SizeLimit)}))
	} else if c.SizeLimit <= 0 && c.Size > defaultSizeLimit {
		w = append(w, lang.X("warn.too_big_many", "The message weighs about {{.Size}}, more than the {{.Limit}} many mail servers accept.", map[string]any{"Size": humanSize(c.Size), "Limit": humanSize(defaultSizeLimit)}))
	}
	return w
}

func mentionsAttachment(body string) bool {
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), ">") {
			continue
		}
		if attachmentWords.MatchString(line) {
			return true
		}
	}
	return false
}
