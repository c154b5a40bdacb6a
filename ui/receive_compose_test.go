package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"stamp/instance"
)

const hostileLink = "mailto:ann@example.com,bob@example.com?cc=carol@example.com&bcc=dan@example.com&subject=Hello%20there&body=Line%20one%0D%0ALine%20two&attach=/etc/passwd&from=ceo@bank.example"

func TestALinkFillsAnEmptyComposerWithItsFilesAttached(t *testing.T) {
	c, got := newTestComposer(t, t.TempDir())
	file := writeFile(t, t.TempDir(), "report.pdf", []byte("%PDF-1.4"))
	Receive(c, []instance.Arg{{Kind: instance.Mailto, Value: hostileLink}, {Kind: instance.File, Value: file}})
	if top := c.Window.Canvas().Overlays().Top(); top != nil {
		t.Fatalf("a dialog opened for an empty composer: %q", dialogText(top))
	}
	if c.To.Text != "ann@example.com, bob@example.com" || c.Cc.Text != "carol@example.com" || c.Bcc.Text != "dan@example.com" ||
		c.Subject.Text != "Hello there" || c.Body.Text != "Line one\nLine two" {
		t.Fatalf("form: To %q Cc %q Bcc %q Subject %q Body %q", c.To.Text, c.Cc.Text, c.Bcc.Text, c.Subject.Text, c.Body.Text)
	}
	if p := c.Attachments.Paths(); len(p) != 1 || p[0] != file {
		t.Fatalf("attachments = %v, want only the handed-over file (never /etc/passwd)", p)
	}
	if n := c.Notice.Text; !strings.Contains(n, "attach") || !strings.Contains(n, "from") {
		t.Errorf("the notice does not name the ignored fields: %q", n)
	}
	if s, ok := c.Sender(); !ok || s.ID != testSender.ID {
		t.Errorf("the sender changed: %+v", s)
	}
	// The link's message is sent as it shows, from the person's own sender.
	c.TrySend()
	if len(*got) != 1 {
		t.Fatalf("%d sends", len(*got))
	}
	m := (*got)[0].msg
	if len(m.To) != 2 || len(m.Cc) != 1 || len(m.Bcc) != 1 || m.From.Addr != "me@stamp.test" || m.Subject != "Hello there" || len(m.Attachments) != 1 {
		t.Fatalf("sent %+v", m)
	}
}

func TestALinkForAComposerInUseAsksAndKeepsTheMessageAsADraft(t *testing.T) {
	data := t.TempDir()
	c, _ := newTestComposer(t, data)
	test.Type(c.Subject, "Minutes of Monday")
	test.Type(c.Body, "Half written")

	Receive(c, []instance.Arg{{Kind: instance.Mailto, Value: "mailto:ann@example.com?subject=From%20a%20link"}})
	top := c.Window.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("the message being written was replaced without asking")
	}
	if text := dialogText(top); !strings.Contains(text, "ann@example.com") || !strings.Contains(text, "From a link") {
		t.Fatalf("the question does not describe the new message: %q", text)
	}
	test.Tap(findButton(top, "Keep writing mine"))
	if c.Subject.Text != "Minutes of Monday" || c.Body.Text != "Half written" || c.To.Text != "" {
		t.Fatalf("after Keep writing: subject %q body %q to %q", c.Subject.Text, c.Body.Text, c.To.Text)
	}

	Receive(c, []instance.Arg{{Kind: instance.Mailto, Value: "mailto:ann@example.com?subject=From%20a%20link"}})
	test.Tap(findButton(c.Window.Canvas().Overlays().Top(), "Save mine and open the new one"))
	if c.Subject.Text != "From a link" || c.To.Text != "ann@example.com" || c.Body.Text != "" {
		t.Fatalf("after Replace: subject %q to %q body %q", c.Subject.Text, c.To.Text, c.Body.Text)
	}
	aside, _ := filepath.Glob(filepath.Join(data, "Drafts", "set-aside-*.json"))
	if len(aside) != 1 {
		t.Fatalf("set-aside drafts: %v", aside)
	}
	b, err := os.ReadFile(aside[0])
	if err != nil || !strings.Contains(string(b), "Minutes of Monday") || !strings.Contains(string(b), "Half written") {
		t.Fatalf("the set-aside draft holds %q, %v", b, err)
	}
	if !strings.Contains(c.Notice.Text, aside[0]) {
		t.Errorf("the notice does not say where the old message went: %q", c.Notice.Text)
	}
}

func TestAnUnreadableLinkChangesNothingAndSaysWhy(t *testing.T) {
	c, _ := newTestComposer(t, t.TempDir())
	test.Type(c.Subject, "Mine")
	Receive(c, []instance.Arg{{Kind: instance.Mailto, Value: "mailto:?subject=%FF%0D%0A"}})
	if top := c.Window.Canvas().Overlays().Top(); top != nil {
		t.Fatalf("a dialog opened for a broken link: %q", dialogText(top))
	}
	if c.Subject.Text != "Mine" || !strings.Contains(c.Notice.Text, "not UTF-8") {
		t.Fatalf("subject %q, notice %q", c.Subject.Text, c.Notice.Text)
	}
}

// With several composer windows, a link handed to Stamp while the front
// composer holds a message opens in a window of its own: nothing asked,
// nothing replaced, both messages kept as drafts.
func TestALinkForAComposerInUseOpensInANewWindow(t *testing.T) {
	dir := t.TempDir()
	s, _ := newTestComposers(t, dir, Options{})
	first := s.Start(nil)
	test.Type(first.Subject, "Minutes of Monday")
	test.Type(first.Body, "Half written")

	Receive(first, []instance.Arg{{Kind: instance.Mailto, Value: "mailto:ann@example.com?subject=From%20a%20link&body=Hello"}})
	if top := first.Window.Canvas().Overlays().Top(); top != nil {
		t.Fatalf("Stamp asked in the first window (%q) instead of opening a new one", dialogText(top))
	}
	if n := len(s.Open()); n != 2 {
		t.Fatalf("%d composers are open after the link, want 2", n)
	}
	if first.Subject.Text != "Minutes of Monday" || first.Body.Text != "Half written" || first.To.Text != "" {
		t.Fatalf("the message being written changed: subject %q body %q to %q", first.Subject.Text, first.Body.Text, first.To.Text)
	}
	second := s.Front()
	if second == first || second.Subject.Text != "From a link" || second.To.Text != "ann@example.com" || second.Body.Text != "Hello" {
		t.Fatalf("the link did not open in a new front window: subject %q to %q body %q", second.Subject.Text, second.To.Text, second.Body.Text)
	}
	for _, c := range s.Open() {
		c.autosave()
	}
	if got := draftFiles(t, dir); strings.Join(got, "|") != "From a link|Minutes of Monday" {
		t.Fatalf("the drafts folder holds %q, want both messages", got)
	}
}
