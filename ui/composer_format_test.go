package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"stamp/compose"
)

var (
	workSender = Sender{ID: "work", Label: "Work", From: compose.Address{Name: "Ann", Addr: "ann@work.test"},
		Signature: "Ann Example\nWork Ltd · +1 555 0100"}
	homeSender = Sender{ID: "home", Label: "Home", From: compose.Address{Name: "Ann", Addr: "ann@home.test"},
		Signature: "Ann"}
	bareSender = Sender{ID: "bare", Label: "No signature", From: compose.Address{Addr: "ann@bare.test"}}
)

// newSignatureComposer is a composer on app a with three senders (work,
// the default, and home with signatures; one without), its sends
// collected.
func newSignatureComposer(t *testing.T, a fyne.App, dataDir string) (*Composer, *[]sent) {
	t.Helper()
	var got []sent
	c := NewComposer(a, Options{
		DataDir: dataDir,
		Senders: func() []Sender { return []Sender{workSender, homeSender, bareSender} },
		Send:    func(_ *Composer, from Sender, m *compose.Message, _ []string) { got = append(got, sent{from, m}) },
	})
	t.Cleanup(func() {
		if c.timer != nil {
			c.timer.Stop()
		}
	})
	return c, &got
}

func TestANewMessageStartsWithTheSendersSignatureAndIsStillEmpty(t *testing.T) {
	dir := t.TempDir()
	c, _ := newSignatureComposer(t, test.NewTempApp(t), dir)
	if want := "\n\n-- \nAnn Example\nWork Ltd · +1 555 0100"; c.Body.Text != want {
		t.Fatalf("body = %q, want %q", c.Body.Text, want)
	}
	// A form holding only the signature is an empty form: no draft, and
	// closing asks nothing.
	if err := c.SaveDraft(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "Drafts", "current.json")); !os.IsNotExist(err) {
		t.Errorf("a draft was saved for a form holding only the signature (%v)", err)
	}
}

func TestTheSignatureFollowsTheFromAccountUnlessEdited(t *testing.T) {
	c, got := newSignatureComposer(t, test.NewTempApp(t), t.TempDir())
	c.To.SetText("bob@example.com")
	c.Subject.SetText("Friday")
	c.Body.SetText("Dear Bob,\nsee you.\n" + c.Body.Text)

	c.From.SetSelected("Home")
	if want := "Dear Bob,\nsee you.\n\n\n-- \nAnn"; c.Body.Text != want {
		t.Fatalf("after choosing Home: %q, want %q", c.Body.Text, want)
	}
	c.From.SetSelected("No signature")
	if want := "Dear Bob,\nsee you."; c.Body.Text != want {
		t.Fatalf("after choosing an account without a signature: %q, want %q", c.Body.Text, want)
	}
	c.From.SetSelected("Work")
	if want := "Dear Bob,\nsee you.\n\n-- \nAnn Example\nWork Ltd · +1 555 0100"; c.Body.Text != want {
		t.Fatalf("back to Work: %q, want %q", c.Body.Text, want)
	}

	// The person edits the signature: it is theirs now, and stays.
	edited := strings.Replace(c.Body.Text, "Work Ltd", "Work Ltd (out until Monday)", 1)
	c.Body.SetText(edited)
	c.From.SetSelected("Home")
	if c.Body.Text != edited {
		t.Fatalf("an edited signature was swapped: %q", c.Body.Text)
	}

	test.Tap(c.SendButton)
	if len(*got) != 1 || (*got)[0].msg.Text != edited || (*got)[0].from.ID != "home" {
		t.Fatalf("sent %+v", *got)
	}
}

func TestADraftRestoreNeverDuplicatesTheSignature(t *testing.T) {
	dir := t.TempDir()
	a := test.NewTempApp(t)
	c, _ := newSignatureComposer(t, a, dir)
	c.To.SetText("bob@example.com")
	c.Body.SetText("Hello" + c.Body.Text)
	c.MarkdownToggle.SetChecked(true)
	body := c.Body.Text
	if err := c.SaveDraft(); err != nil {
		t.Fatal(err)
	}
	c.Window.Close()

	a.Preferences().SetBool(prefMarkdown, false) // the draft's own flag wins
	again, _ := newSignatureComposer(t, a, dir)
	if again.Body.Text != body || strings.Count(again.Body.Text, "\n-- \n") != 1 {
		t.Fatalf("restored body %q, want %q", again.Body.Text, body)
	}
	if !again.MarkdownToggle.Checked {
		t.Errorf("the draft's Markdown mode was not restored")
	}
	// And switching accounts after the restore still swaps it.
	again.From.SetSelected("Home")
	if want := "Hello\n\n-- \nAnn"; again.Body.Text != want {
		t.Fatalf("after restore and Home: %q, want %q", again.Body.Text, want)
	}
}

func TestTheMarkdownToggleIsRememberedAndSendsMarkdown(t *testing.T) {
	dir := t.TempDir()
	a := test.NewTempApp(t)
	c, got := newSignatureComposer(t, a, dir)
	if c.MarkdownToggle.Checked || !c.PreviewButton.Disabled() {
		t.Fatal("Markdown is on, or Preview enabled, in a first composer: plain text is the default")
	}
	test.Tap(c.MarkdownToggle)
	if !c.MarkdownToggle.Checked || c.PreviewButton.Disabled() {
		t.Fatal("the toggle did not turn Markdown on and enable Preview")
	}
	c.To.SetText("bob@example.com")
	c.Subject.SetText("Friday")
	c.Body.SetText("**bold**" + c.Body.Text)
	test.Tap(c.SendButton)
	if len(*got) != 1 || !(*got)[0].msg.Markdown {
		t.Fatalf("sent %+v, want a Markdown message", *got)
	}
	c.Window.Close()

	next, _ := newSignatureComposer(t, a, t.TempDir())
	if !next.MarkdownToggle.Checked {
		t.Error("a new composer forgot that Markdown was on")
	}
}

// previewText is the preview's text and its links, in order.
func previewText(rt *widget.RichText) (text string, links []string) {
	var walk func([]widget.RichTextSegment)
	var b strings.Builder
	walk = func(segs []widget.RichTextSegment) {
		for _, s := range segs {
			switch s := s.(type) {
			case *widget.HyperlinkSegment:
				links = append(links, s.URL.String())
				b.WriteString(s.Text + "|")
			case *widget.ListSegment:
				walk(s.Items)
			case *widget.ParagraphSegment:
				walk(s.Texts)
			case *widget.ImageSegment:
				links = append(links, "IMAGE "+s.Source.String())
			default:
				b.WriteString(s.Textual() + "|")
			}
		}
	}
	walk(rt.Segments)
	return b.String(), links
}

func TestThePreviewShowsWhatRecipientsWillSee(t *testing.T) {
	c, _ := newSignatureComposer(t, test.NewTempApp(t), t.TempDir())
	c.MarkdownToggle.SetChecked(true)
	c.Body.SetText("# Agenda\n\n- **Budget**: [sheet](https://example.com/s)\n- [trap](javascript:alert(1))\n\n![logo](https://example.com/logo.png) ![local](/etc/passwd)" + c.Body.Text)
	test.Tap(c.PreviewButton)
	if c.preview == nil || c.dialogs.top == nil {
		t.Fatal("Preview showed nothing")
	}
	text, links := previewText(c.preview)
	for _, want := range []string{"Agenda|", "Budget|", "trap|", "-- |", "Ann Example|", "Work Ltd · +1 555 0100|"} {
		if !strings.Contains(text, want) {
			t.Errorf("the preview lacks %q: %q", want, text)
		}
	}
	if strings.Join(links, " ") != "https://example.com/s https://example.com/logo.png" {
		t.Errorf("preview links %q: want only the safe link and the image as a link", links)
	}
	var heading bool
	for _, s := range c.preview.Segments {
		if ts, ok := s.(*widget.TextSegment); ok && ts.Text == "Agenda" && ts.Style == widget.RichTextStyleHeading {
			heading = true
		}
	}
	if !heading {
		t.Errorf("# Agenda is not a heading in the preview")
	}
}

func TestASignatureEditedInTheAccountsReachesANewMessage(t *testing.T) {
	a := test.NewTempApp(t)
	sig := "Ann"
	c := NewComposer(a, Options{DataDir: t.TempDir(), Senders: func() []Sender {
		s := homeSender
		s.Signature = sig
		return []Sender{s}
	}})
	if c.Body.Text != "\n\n-- \nAnn" {
		t.Fatalf("body = %q", c.Body.Text)
	}
	// The Accounts window saves a new signature and reloads the senders.
	sig = "Ann Example\nHome"
	c.ReloadSenders()
	if want := "\n\n-- \nAnn Example\nHome"; c.Body.Text != want {
		t.Fatalf("after the signature changed: %q, want %q", c.Body.Text, want)
	}
}
