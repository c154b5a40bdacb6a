package ui

import (
	"bytes"
	"fmt"
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
	m := newMailboxWindow(test.NewTempApp(t), "Sent — Stamp", "empty", dir)
	m.waitLoaded(t)
	if m.shown != filepath.Join(dir, "b.eml") {
		t.Fatalf("the newest message is not shown first: %q", m.shown)
	}
	// Reading the newest: a new message takes its place.
	writeEML(t, dir, "c.eml", "Newest", []byte("hi\r\n"), now)
	m.Reload()
	m.waitLoaded(t)
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
	m.waitLoaded(t)
	if m.shown != old || !strings.Contains(m.detail.Text, "Subject: Old") {
		t.Fatalf("a reload moved the reader away from the old message: %q\n%s", m.shown, m.detail.Text)
	}
}

func TestABigMessageIsPreviewedNotReadWhole(t *testing.T) {
	dir := t.TempDir()
	body := bytes.Repeat([]byte("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\r\n"), 30_000) // ~1.1 MB
	writeEML(t, dir, "big.eml", "Big", body, time.Now())
	m := newMailboxWindow(test.NewTempApp(t), "Sent — Stamp", "empty", dir)
	m.waitLoaded(t)
	if !strings.Contains(m.detail.Text, "Subject: Big") {
		t.Fatalf("detail:\n%s", m.detail.Text)
	}
	if len(m.raw.Text) > rawPreviewLimit+300 || !strings.Contains(m.raw.Text, "more; the whole message is in") {
		t.Fatalf("the raw view holds %d bytes; want a %d-byte preview and a note", len(m.raw.Text), rawPreviewLimit)
	}
}

func TestARefreshAfterOneMoreMessageReadsOneFileNotAThousand(t *testing.T) {
	dir := t.TempDir()
	now := time.Now().Add(-time.Hour)
	for i := 0; i < 1000; i++ {
		writeEML(t, dir, fmt.Sprintf("m%04d.eml", i), fmt.Sprintf("Message %d", i), []byte("hi\r\n"), now.Add(time.Duration(i)*time.Second))
	}
	m := newMailboxWindow(test.NewTempApp(t), "Sent — Stamp", "empty", dir)
	m.waitLoaded(t)
	if len(m.items) != 1000 || m.items[0].Subject != "Message 999" {
		t.Fatalf("listed %d, newest %q", len(m.items), m.items[0].Subject)
	}
	before := m.index.reads
	writeEML(t, dir, "new.eml", "One more", []byte("hi\r\n"), time.Now())
	m.Reload()
	m.waitLoaded(t)
	if n := m.index.reads - before; n != 1 {
		t.Fatalf("the refresh read %d files, want 1 (only the new one)", n)
	}
	if len(m.items) != 1001 || m.items[0].Subject != "One more" || !strings.Contains(m.detail.Text, "Subject: One more") {
		t.Fatalf("after the refresh: %d items, newest %q, shown:\n%s", len(m.items), m.items[0].Subject, m.detail.Text)
	}
	// A removed message leaves the list; a rewritten one is read again.
	os.Remove(filepath.Join(dir, "m0000.eml"))
	writeEML(t, dir, "m0001.eml", "Message 1, edited", []byte("hello again\r\n"), now.Add(time.Second))
	m.Reload()
	m.waitLoaded(t)
	if len(m.items) != 1000 || m.items[len(m.items)-1].Subject != "Message 1, edited" {
		t.Fatalf("after a removal and a change: %d items, oldest %q", len(m.items), m.items[len(m.items)-1].Subject)
	}
}

func TestAReloadDoesNotReadTheFolderOnTheUIGoroutine(t *testing.T) {
	dir := t.TempDir()
	writeEML(t, dir, "a.eml", "A", []byte("hi\r\n"), time.Now())
	m := newMailboxWindow(test.NewTempApp(t), "Sent — Stamp", "empty", dir)
	m.waitLoaded(t)
	m.index.mu.Lock() // a slow disk: the listing cannot finish
	done := make(chan struct{})
	go func() { m.Reload(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Reload waited for the folder listing")
	}
	m.index.mu.Unlock()
	m.waitLoaded(t)
}
