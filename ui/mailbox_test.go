package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

// writeEML writes a small message with subject into dir, dated at.
func writeEML(t *testing.T, dir, name, subject string, body []byte, at time.Time) string {
	t.Helper()
	p := filepath.Join(dir, name)
	msg := append([]byte("From: me@example.com\r\nTo: ann@example.com\r\nSubject: "+subject+"\r\n\r\n"), body...)
	if err := os.WriteFile(p, msg, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, at, at); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAMailboxReloadKeepsTheMessageBeingReadUnlessItWasTheNewest(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	old := writeEML(t, dir, "a.eml", "Old", []byte("hi\r\n"), now.Add(-2*time.Hour))
	writeEML(t, dir, "b.eml", "Newer", []byte("hi\r\n"), now.Add(-time.Hour))
	m := newMailboxWindow(test.NewTempApp(t), "Sent — Stamp", "empty", func() []mailItem { return loadEMLDir(dir) })
	if m.shown != filepath.Join(dir, "b.eml") {
		t.Fatalf("the newest message is not shown first: %q", m.shown)
	}
	// Reading the newest: a new message takes its place.
	writeEML(t, dir, "c.eml", "Newest", []byte("hi\r\n"), now)
	m.Reload()
	if !strings.Contains(m.detail.Text, "Subject: Newest") {
		t.Fatalf("after a new message the view shows:\n%s", m.detail.Text)
	}
	// Reading an older one: it stays.
	m.list.Select(2)
	if m.shown != old {
		t.Fatalf("selected %q", m.shown)
	}
	writeEML(t, dir, "d.eml", "Even newer", []byte("hi\r\n"), now.Add(time.Minute))
	m.Reload()
	if m.shown != old || !strings.Contains(m.detail.Text, "Subject: Old") {
		t.Fatalf("a reload moved the reader away from the old message: %q\n%s", m.shown, m.detail.Text)
	}
}

func TestABigMessageIsPreviewedNotReadWhole(t *testing.T) {
	dir := t.TempDir()
	body := bytes.Repeat([]byte("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\r\n"), 30_000) // ~1.1 MB
	writeEML(t, dir, "big.eml", "Big", body, time.Now())
	m := newMailboxWindow(test.NewTempApp(t), "Sent — Stamp", "empty", func() []mailItem { return loadEMLDir(dir) })
	if !strings.Contains(m.detail.Text, "Subject: Big") {
		t.Fatalf("detail:\n%s", m.detail.Text)
	}
	if len(m.raw.Text) > rawPreviewLimit+300 || !strings.Contains(m.raw.Text, "more; the whole message is in") {
		t.Fatalf("the raw view holds %d bytes; want a %d-byte preview and a note", len(m.raw.Text), rawPreviewLimit)
	}
}
