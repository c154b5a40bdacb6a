package compose

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"stamp/i18n"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"stamp/internal/atomicfile"
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
// named by SentFileName, atomically, and returns its path. It never
// replaces a file: when another copy has that name (the same subject sent
// in the same second), it takes the name with " 2", " 3", … added.
func SaveSent(dir string, m *Message) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	copyMsg := *m
	copyMsg.Headers = append(append([]Header{}, m.Headers...), Header{Name: "X-Stamp-Note", Value: SentNote})
	w, err := copyMsg.NewWriter(WriteOptions{KeepBcc: true})
	if err != nil {
		return "", fmt.Errorf("%s: %w", i18n.T("compose.sent_copy_failed", "save the sent copy"), err)
	}
	name := SentFileName(time.Now(), m.Subject)
	base := strings.TrimSuffix(name, ".eml")
	for i := 1; ; i++ {
		path := filepath.Join(dir, name)
		err := atomicfile.WriteNew(path, 0o600, func(f io.Writer) error {
			_, err := w.WriteTo(f)
			return err
		})
		if err == nil {
			return path, nil
		}
		if !errors.Is(err, fs.ErrExist) || i >= 100 {
			return "", fmt.Errorf("%s: %w", i18n.T("compose.sent_copy_failed", "save the sent copy"), err)
		}
		name = fmt.Sprintf("%s %d.eml", base, i+1)
	}
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

// maxSafeName bounds SafeFileName in bytes of UTF-8: with the date, a
// suffix that keeps two names apart and ".eml", a name stays well under the
// 255 bytes of ext4, btrfs and APFS, and the 255 UTF-16 units of NTFS.
const maxSafeName = 180

// SafeFileName turns a subject into a file name that works on every OS:
// reserved characters, controls and format characters (bidi overrides,
// zero-width) become "_", at most 80 characters and
// maxSafeName bytes (cut between characters), "no subject" when nothing
// is left.
func SafeFileName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case strings.ContainsRune(`<>:"/\|?*`, r), unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			// Cf: bidi overrides (U+202E shows "…exe.pdf" reversed) and
			// zero-width characters (two names that look alike).
			b.WriteRune('_')
		default:
			b.WriteRune(r)
		}
	}
	out := trimName(b.String())
	if r := []rune(out); len(r) > 80 {
		out = string(r[:80])
	}
	if len(out) > maxSafeName {
		cut := maxSafeName
		for cut > 0 && !utf8.RuneStart(out[cut]) {
			cut-- // between two characters, never inside one
		}
		out = out[:cut]
	}
	if out = trimName(out); out == "" {
		out = "no subject"
	}
	return out
}

// trimName drops what Windows refuses at either end of a name: spaces and
// dots.
func trimName(s string) string {
	return strings.Trim(strings.TrimSpace(s), ".")
}
