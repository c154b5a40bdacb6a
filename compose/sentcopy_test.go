package compose

import (
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"
)

// The outbox builds a Sent copy from the transmitted bytes and SentHeader;
// an independent parser must read the same Bcc and note as in SaveSent's.
func TestSentHeaderOnTheTransmittedMessageIsTheSentCopy(t *testing.T) {
	m := &Message{
		From:    Address{Name: "Zoë", Addr: "zoe@example.com"},
		To:      []Address{{Addr: "to@example.com"}},
		Bcc:     []Address{{Name: "Jürgen Blind", Addr: "jb@example.com"}, {Addr: "x@example.com"}},
		Subject: "a/b: report?",
		Text:    "hello\n",
		Date:    time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC),
	}
	w, err := m.NewWriter(WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var wire bytes.Buffer
	if _, err := w.WriteTo(&wire); err != nil {
		t.Fatal(err)
	}
	fromOutbox := append(SentHeader(w.Message()), wire.Bytes()...)

	path, err := SaveSent(t.TempDir(), w.Message())
	if err != nil {
		t.Fatal(err)
	}
	fromUI, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a, b := headerOf(t, fromOutbox), headerOf(t, fromUI)
	for _, field := range []string{"Bcc", "X-Stamp-Note", "Subject", "Message-Id", "To"} {
		x, _ := a.Text(field)
		y, _ := b.Text(field)
		if x != y || x == "" {
			t.Errorf("%s: outbox copy %q, SaveSent %q", field, x, y)
		}
	}
	bcc, _ := a.AddressList("Bcc")
	if len(bcc) != 2 || bcc[0].Name != "Jürgen Blind" || bcc[1].Address != "x@example.com" {
		t.Errorf("Bcc read back as %v", bcc)
	}
	if got := SentFileName(m.Date, m.Subject); got != "2026-12-04 090000 a_b_ report_.eml" {
		t.Errorf("file name %q", got)
	}
}

func headerOf(t *testing.T, b []byte) mail.Header {
	t.Helper()
	r, err := mail.CreateReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return r.Header
}
