package ui

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// ATTACK2 item 13 (issue 21 §5, incremental mailbox): emlIndex trusted size
// and modification time. A message rewritten with the same size and the
// same mtime (a restore from a backup that keeps times, a file system with
// coarse timestamps) kept its old subject for the rest of the session.
func TestAMessageRewrittenWithTheSameSizeAndMtimeIsReadAgain(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.eml")
	when := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	write := func(subject string) {
		t.Helper()
		if err := os.WriteFile(p, []byte("Subject: "+subject+"\r\nFrom: a@example.com\r\n\r\nbody\r\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, when, when); err != nil {
			t.Fatal(err)
		}
	}
	x := newEMLIndex(dir)
	write("One")
	if items := x.load(); len(items) != 1 || items[0].Subject != "One" {
		t.Fatalf("first listing: %+v", items)
	}
	write("Two") // in place: same inode
	if items := x.load(); items[0].Subject != "Two" {
		t.Fatalf("after the file was rewritten in place (same size, same mtime) the list still says %q", items[0].Subject)
	}
	// Replaced by a rename, as a restore or a sync tool does.
	tmp := filepath.Join(dir, "a.tmp")
	if err := os.WriteFile(tmp, []byte("Subject: Six\r\nFrom: a@example.com\r\n\r\nbody\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(tmp, when, when)
	if err := os.Rename(tmp, p); err != nil {
		t.Fatal(err)
	}
	if items := x.load(); items[0].Subject != "Six" {
		t.Fatalf("after the file was replaced (same size, same mtime) the list still says %q", items[0].Subject)
	}
	// That an unchanged file is not read again:
	// TestARefreshAfterOneMoreMessageReadsOneFileNotAThousand.
}
