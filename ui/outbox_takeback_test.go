package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"stamp/smtpclient/sandbox"
)

// Undo after the attached file changed brings back what was sent (a copy
// in the data folder), and says so; an unchanged file stays as it was.
func TestUndoAfterTheAttachedFileChangedBringsBackWhatWasSent(t *testing.T) {
	srv, cfg := plainServer(t, sandbox.Options{})
	r := newOutboxRig(t, t.TempDir(), 30*time.Second, cfg, true)
	c := r.c
	files := t.TempDir()
	changed := writeFile(t, files, "plan.pdf", []byte("%PDF-1.4 as sent"))
	same := writeFile(t, files, "notes.txt", []byte("unchanged notes"))
	typeMessage(c, "The plan")
	c.AttachFiles(changed, same)
	c.TrySend()
	waitFor(t, "the undo bar", func() bool { return c.undoBar.Visible() })
	if err := os.WriteFile(changed, []byte("%PDF-1.4 edited after Send"), 0o600); err != nil {
		t.Fatal(err)
	}
	test.Tap(c.undoButton)
	waitFor(t, "the message back in the composer", func() bool { return c.Subject.Text == "The plan" })
	paths := c.Attachments.Paths()
	if len(paths) != 2 {
		t.Fatalf("attachments after Undo: %q", paths)
	}
	if paths[0] == changed || !strings.Contains(paths[0], filepath.Join("Taken back")) || filepath.Base(paths[0]) != "plan.pdf" {
		t.Fatalf("the changed file came back as %q, not as a copy of what was sent", paths[0])
	}
	if b, err := os.ReadFile(paths[0]); err != nil || string(b) != "%PDF-1.4 as sent" {
		t.Fatalf("the copy holds %q (%v), not what was sent", b, err)
	}
	if paths[1] != same {
		t.Fatalf("the unchanged file came back as %q, not %q", paths[1], same)
	}
	if !strings.Contains(c.Notice.Text, "plan.pdf") || strings.Contains(c.Notice.Text, "notes.txt") {
		t.Fatalf("the notice says %q", c.Notice.Text)
	}
	if b, _ := os.ReadFile(changed); string(b) != "%PDF-1.4 edited after Send" {
		t.Fatal("the person's own file was touched")
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("the server received %d", n)
	}
}
