package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"stamp/instance"
)

func TestAMenuWindowIsOpenedOnceAndAgainAfterItWasClosed(t *testing.T) {
	a := test.NewTempApp(t)
	opened := 0
	var last fyne.Window
	show := OneAtATime(a, func() fyne.Window {
		opened++
		last = a.NewWindow("Accounts — Stamp")
		last.Show()
		return last
	})
	show()
	first := last
	show()
	if opened != 1 {
		t.Fatalf("a second click opened %d windows", opened)
	}
	first.Close()
	show()
	if opened != 2 || last == first {
		t.Fatal("after closing the window, the menu did not open a new one")
	}
}

// findButton finds the button labelled text in o.
func findButton(o fyne.CanvasObject, text string) *widget.Button {
	var found *widget.Button
	walk(o, func(x fyne.CanvasObject) {
		if b, ok := x.(*widget.Button); ok && b.Text == text {
			found = b
		}
	})
	return found
}

// dialogText is every label's text in o, joined.
func dialogText(o fyne.CanvasObject) string {
	var b strings.Builder
	walk(o, func(x fyne.CanvasObject) {
		if l, ok := x.(*widget.Label); ok {
			b.WriteString(l.Text + "\n")
		}
	})
	return b.String()
}

func TestFilesHandedOverAreAttachedToAnEmptyComposerAtOnce(t *testing.T) {
	c, _ := newTestComposer(t, t.TempDir())
	dir := t.TempDir()
	a := writeFile(t, dir, "report.pdf", []byte("%PDF-1.4"))
	b := writeFile(t, dir, "notes.txt", []byte("notes"))
	Receive(c, []instance.Arg{{Kind: instance.File, Value: a}, {Kind: instance.File, Value: b}})
	if got := c.Attachments.Paths(); len(got) != 2 || got[0] != a || got[1] != b {
		t.Fatalf("attachments = %v, want both files", got)
	}
	if top := c.Window.Canvas().Overlays().Top(); top != nil {
		t.Fatalf("a dialog opened for an empty composer: %q", dialogText(top))
	}
}

func TestFilesHandedOverToAComposerInUseAreAddedOnlyIfThePersonSaysSo(t *testing.T) {
	c, _ := newTestComposer(t, t.TempDir())
	test.Type(c.Subject, "Minutes of Monday")
	dir := t.TempDir()
	a := writeFile(t, dir, "holiday.jpg", []byte("jpeg"))

	Receive(c, []instance.Arg{{Kind: instance.File, Value: a}})
	top := c.Window.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no question was asked before adding a file to a message being written")
	}
	if text := dialogText(top); !strings.Contains(text, "holiday.jpg") {
		t.Fatalf("the question does not name the file: %q", text)
	}
	if n := len(c.Attachments.Paths()); n != 0 {
		t.Fatalf("attached %d files before the person answered", n)
	}
	test.Tap(findButton(top, "Don't attach"))
	if n := len(c.Attachments.Paths()); n != 0 || c.Subject.Text != "Minutes of Monday" {
		t.Fatalf("after Don't attach: %d attachments, subject %q", n, c.Subject.Text)
	}

	Receive(c, []instance.Arg{{Kind: instance.File, Value: a}})
	test.Tap(findButton(c.Window.Canvas().Overlays().Top(), "Attach"))
	if got := c.Attachments.Paths(); len(got) != 1 || got[0] != a || c.Subject.Text != "Minutes of Monday" {
		t.Fatalf("after Attach: attachments %v, subject %q", got, c.Subject.Text)
	}
}
