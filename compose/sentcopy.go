package compose

import (
	"fmt"
	"os"
	"path/filepath"
	"stamp/i18n"
	"strings"
	"time"
	"unicode"
)

// SentNote marks the saved copy in the Sent folder: it keeps the Bcc line
// for the sender's records, which the transmitted message never has.
const SentNote = "Saved copy. The Bcc line is kept for your records only; it was not transmitted."

// SentFileName is the name of a Sent copy written at t: the date and time,
// then the subject made safe as a file name on every OS, then ".eml".
func SentFileName(t time.Time, subject string) string {
	return t.Format("2006-01-02 150405") + " " + SafeFileName(subject) + ".eml"
}

// SaveSent writes the Sent copy of m (Bcc kept, SentNote added) into dir,
// named by SentFileName, atomically, and returns its path.
func SaveSent(dir string, m *Message) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	copyMsg := *m
	copyMsg.Headers = append(append([]Header{}, m.Headers...), Header{Name: "X-Stamp-Note", Value: SentNote})
	path := filepath.Join(dir, SentFileName(time.Now(), m.Subject))
	if err := SaveEML(path, &copyMsg, WriteOptions{KeepBcc: true}); err != nil {
		return "", fmt.Errorf("%s: %w", i18n.T("compose.sent_copy_failed", "save the sent copy"), err)
	}
	return path, nil
}

// SentHeader is what a Sent copy has on top of the transmitted message m
// (as its writer wrote it): the Bcc field when m has blind recipients, and
// the X-Stamp-Note field, encoded as the writer encodes them and ending in
// CRLF. Put before the transmitted message's bytes, it makes the same Sent
// copy SaveSent writes, without encoding the attachments a second time.
func SentHeader(m *Message) []byte {
	var h headerBuilder
	if len(m.Bcc) > 0 {
		h.field("Bcc")
		h.addressList(m.Bcc)
		h.end()
	}
	h.field("X-Stamp-Note")
	h.text(SentNote)
	h.end()
	return h.b
}

// SafeFileName turns a subject into a file name that works on every OS:
// reserved characters and controls become "_", at most 80 characters,
// "no subject" when nothing is left.
func SafeFileName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case strings.ContainsRune(`<>:"/\|?*`, r), unicode.IsControl(r):
			b.WriteRune('_')
		default:
			b.WriteRune(r)
		}
	}
	out := strings.Trim(strings.TrimSpace(b.String()), ".")
	if out == "" {
		out = "no subject"
	}
	if r := []rune(out); len(r) > 80 {
		out = string(r[:80])
	}
	return out
}
