//go:build linux || darwin

package ui

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// Found by the third review: the Sent and Sandbox listings read every *.json envelope with
// os.ReadFile and open every *.eml with os.Open: a FIFO (or a link to one,
// or to /dev/zero for the .json) in the folder blocks the listing for ever
// (holding the index's lock, so every later refresh blocks too) or reads
// until memory runs out. Elsewhere user-reachable files go through
// internal/boundedfile.
func TestAFIFOInTheSentFolderDoesNotBlockTheListing(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.eml"), []byte("Subject: hi\r\n\r\nbody\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "a.json"), 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	x := newEMLIndex(dir)
	done := make(chan []mailItem, 1)
	go func() { done <- x.load() }()
	select {
	case items := <-done:
		if len(items) != 1 {
			t.Errorf("listed %d messages, want the one .eml", len(items))
		}
	case <-time.After(5 * time.Second):
		// Unblock the reader so the test process can end.
		if f, err := os.OpenFile(filepath.Join(dir, "a.json"), os.O_WRONLY, 0); err == nil {
			f.Close()
		}
		t.Fatal("the listing still waits on a FIFO named a.json after 5 s (os.ReadFile in readEnvelope, ui/mailbox.go)")
	}
}

// The same for a FIFO named *.eml, a link to /dev/zero named *.json, and a
// FIFO or a /dev/zero link where the draft is kept: nothing waits, nothing
// reads without end; the real message is still listed, the draft is an error.
func TestFIFOsAndDevicesInTheMailFoldersAndDraftsNeverBlock(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.eml"), []byte("Subject: hi\r\n\r\nbody\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "b.eml"), 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "a.json")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "c.eml")); err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	if err := os.Mkdir(filepath.Join(data, "Drafts"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(newDraftStore(data).path, 0o600); err != nil {
		t.Fatal(err)
	}
	zeroData := t.TempDir()
	if err := os.Mkdir(filepath.Join(zeroData, "Drafts"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", newDraftStore(zeroData).path); err != nil {
		t.Fatal(err)
	}
	type result struct {
		items            []mailItem
		fifoErr, zeroErr error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		r.items = newEMLIndex(dir).load()
		_, r.fifoErr = newDraftStore(data).Load()
		_, r.zeroErr = newDraftStore(zeroData).Load()
		done <- r
	}()
	select {
	case r := <-done:
		if len(r.items) != 1 || r.items[0].Subject != "hi" {
			t.Errorf("listed %+v, want the one real message", r.items)
		}
		if r.fifoErr == nil || r.zeroErr == nil {
			t.Errorf("a FIFO or /dev/zero as the draft loaded without an error: %v, %v", r.fifoErr, r.zeroErr)
		}
	case <-time.After(5 * time.Second):
		for _, p := range []string{filepath.Join(dir, "b.eml"), newDraftStore(data).path} {
			if f, err := os.OpenFile(p, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
				f.Close()
			}
		}
		t.Fatal("the listing or the draft still waits on a FIFO or reads /dev/zero after 5 s")
	}
}
