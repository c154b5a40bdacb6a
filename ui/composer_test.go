package ui

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"stamp/compose"
)

var testSender = Sender{ID: SandboxID, Label: "Sandbox (local test server)",
	From: compose.Address{Name: "Me", Addr: "me@stamp.test"}}

type sent struct {
	from Sender
	msg  *compose.Message
}

// newTestComposer makes a composer on the headless test app with a fresh
// data folder; every Send lands in the returned slice.
func newTestComposer(t *testing.T, dataDir string) (*Composer, *[]sent) {
	t.Helper()
	a := test.NewTempApp(t)
	var got []sent
	c := NewComposer(a, Options{
		DataDir: dataDir,
		Senders: func() []Sender { return []Sender{testSender} },
		Send:    func(_ *Composer, from Sender, m *compose.Message, _ []string) { got = append(got, sent{from, m}) },
	})
	t.Cleanup(func() {
		if c.timer != nil {
			c.timer.Stop()
		}
	})
	return c, &got
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestComposerWindowIsTitledStamp(t *testing.T) {
	c, _ := newTestComposer(t, t.TempDir())
	if got := c.Window.Title(); got != "Stamp" {
		t.Fatalf("window title = %q, want %q", got, "Stamp")
	}
}

// The test app ignores SetIcon, so the window test (scripts/window-test.sh)
// checks the real window's _NET_WM_ICON; here we check the resource itself.
func TestStampsIconIsItsOwn512PixelPNG(t *testing.T) {
	img, err := png.Decode(bytes.NewReader(Icon.Content()))
	if err != nil {
		t.Fatalf("the app icon is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 512 || b.Dy() != 512 {
		t.Fatalf("icon is %dx%d, want 512x512", b.Dx(), b.Dy())
	}
	// The centre of Stamp's icon is the white envelope on the blue stamp.
	r, g, bl, _ := img.At(200, 250).RGBA()
	if r>>8 < 240 || g>>8 < 240 || bl>>8 < 240 {
		t.Fatalf("pixel (200,250) = %d,%d,%d: not the envelope's white; wrong icon?", r>>8, g>>8, bl>>8)
	}
}

func TestAnEmptyFormCannotBeSentAndSaysWhy(t *testing.T) {
	c, _ := newTestComposer(t, t.TempDir())
	if !c.SendButton.Disabled() {
		t.Fatal("Send is enabled on an empty form")
	}
	if !strings.Contains(c.Status.Text, "Add at least one recipient") {
		t.Fatalf("status = %q, want it to ask for a recipient", c.Status.Text)
	}
}

func TestABadAddressIsMarkedInItsFieldAndBlocksSending(t *testing.T) {
	c, _ := newTestComposer(t, t.TempDir())
	c.SetShowCcBcc(true)
	test.Type(c.To, "Ann <ann@example.com>")
	test.Type(c.Cc, "bob@")
	err := c.Cc.Validate()
	if err == nil || !strings.Contains(err.Error(), `Cc: "bob@"`) {
		t.Fatalf("Cc validation error = %v, want it to name the bad entry", err)
	}
	if c.To.Validate() != nil {
		t.Fatalf("To is marked invalid: %v", c.To.Validate())
	}
	if !c.SendButton.Disabled() || !strings.Contains(c.Status.Text, "bob@") {
		t.Fatalf("Send disabled=%v status=%q; want disabled with the bad entry named", c.SendButton.Disabled(), c.Status.Text)
	}
	c.Cc.SetText("Bob <bob@example.com>")
	if c.SendButton.Disabled() {
		t.Fatalf("Send still disabled after fixing Cc: %q", c.Status.Text)
	}
}

func TestTheEnvelopePreviewShowsWhoIsHidden(t *testing.T) {
	c, _ := newTestComposer(t, t.TempDir())
	c.SetShowCcBcc(true)
	test.Type(c.To, "Ann <ann@example.com>; carl@example.com")
	test.Type(c.Cc, "bob@example.com")
	test.Type(c.Bcc, "secret@example.com, ANN@example.com")
	want := "Will be delivered to 4 addresses. Hidden from the other recipients (Bcc): secret@example.com."
	if c.Status.Text != want {
		t.Fatalf("preview = %q\nwant      %q", c.Status.Text, want)
	}
}

func TestSendingHandsTheWholeMessageIncludingBccToTheSender(t *testing.T) {
	dir := t.TempDir()
	c, got := newTestComposer(t, dir)
	c.SetShowCcBcc(true)
	file := writeFile(t, t.TempDir(), "report.pdf", []byte("%PDF-1.4 fake"))
	test.Type(c.To, "ann@example.com")
	test.Type(c.Cc, "bob@example.com")
	test.Type(c.Bcc, "carol@example.com")
	test.Type(c.Subject, "Quarterly report")
	test.Type(c.Body, "Hello, here it is.")
	c.AttachFiles(file)
	c.TrySend()
	if len(*got) != 1 {
		t.Fatalf("Send called %d times, want 1", len(*got))
	}
	m := (*got)[0].msg
	if len(m.To) != 1 || len(m.Cc) != 1 || len(m.Bcc) != 1 || m.Bcc[0].Addr != "carol@example.com" {
		t.Fatalf("message recipients To=%v Cc=%v Bcc=%v", m.To, m.Cc, m.Bcc)
	}
	if m.From.Addr != "me@stamp.test" || m.Subject != "Quarterly report" || len(m.Attachments) != 1 || m.Attachments[0].Path != file {
		t.Fatalf("message = %+v", m)
	}
	if !c.SendButton.Disabled() {
		t.Fatal("Send stays enabled while a send is running")
	}
	d, err := c.drafts.Load()
	if err != nil || d == nil || !d.Sending || d.Subject != "Quarterly report" {
		t.Fatalf("draft during the send = %+v, %v; want the message marked as sending", d, err)
	}

	c.SendFinished(NotSent)
	if c.Subject.Text != "Quarterly report" || len(c.Attachments.Paths()) != 1 {
		t.Fatal("a failed send lost part of the message")
	}
	c.SendFinished(Sent)
	if c.To.Text != "" || c.Body.Text != "" || len(c.Attachments.Paths()) != 0 {
		t.Fatal("the form is not cleared after a successful send")
	}
	if d, _ := c.drafts.Load(); d != nil {
		t.Fatalf("the draft is still there after a successful send: %+v", d)
	}
}

func TestAttachAndRemoveUpdateTheListAndTotal(t *testing.T) {
	c, _ := newTestComposer(t, t.TempDir())
	dir := t.TempDir()
	a := writeFile(t, dir, "photo.jpg", bytes.Repeat([]byte{1}, 3000))
	b := writeFile(t, dir, "notes.txt", bytes.Repeat([]byte{2}, 1500))
	c.AttachFiles(a, b, a)
	if got := c.Attachments.Paths(); len(got) != 2 {
		t.Fatalf("attachments = %v, want the two files once each", got)
	}
	if !strings.Contains(c.Attachments.total.Text, "2 files, 4.5 kB") {
		t.Fatalf("total = %q", c.Attachments.total.Text)
	}
	if len(c.Attachments.rows.Objects) != 2 {
		t.Fatalf("%d rows shown, want 2", len(c.Attachments.rows.Objects))
	}
	c.Attachments.Remove(0)
	if got := c.Attachments.Paths(); len(got) != 1 || got[0] != b {
		t.Fatalf("after removing the first: %v", got)
	}
}

func TestDroppedFilesAreAttachedAndFoldersRefused(t *testing.T) {
	c, _ := newTestComposer(t, t.TempDir())
	dir := t.TempDir()
	f := writeFile(t, dir, "资料 2026.xlsx", []byte("x"))
	uris := []fyne.URI{storage.NewFileURI(f), storage.NewFileURI(dir)}
	paths := droppedPaths(uris)
	if len(paths) != 2 {
		t.Fatalf("dropped paths = %v", paths)
	}
	err := c.Attachments.Add(paths...)
	if err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Fatalf("adding a folder: err = %v, want it refused by name", err)
	}
	if got := c.Attachments.Paths(); len(got) != 1 || got[0] != f {
		t.Fatalf("attachments = %v, want only the file", got)
	}
}

func TestAFileThatDisappearsIsFlaggedAndBlocksSending(t *testing.T) {
	c, got := newTestComposer(t, t.TempDir())
	f := writeFile(t, t.TempDir(), "contract.pdf", []byte("%PDF"))
	test.Type(c.To, "ann@example.com")
	test.Type(c.Subject, "Contract")
	c.AttachFiles(f)
	os.Remove(f)
	c.TrySend()
	if len(*got) != 0 {
		t.Fatal("a message with a vanished attachment was sent")
	}
	if !strings.Contains(c.Status.Text, `"contract.pdf" the file is gone`) {
		t.Fatalf("status = %q, want the vanished file named", c.Status.Text)
	}
	if c.To.Text != "ann@example.com" || c.Subject.Text != "Contract" {
		t.Fatal("the form lost text")
	}
}

func TestTheDraftIsRestoredOnTheNextStart(t *testing.T) {
	dir := t.TempDir()
	c, _ := newTestComposer(t, dir)
	c.SetShowCcBcc(true)
	test.Type(c.To, "ann@example.com")
	test.Type(c.Bcc, "boss@example.com")
	test.Type(c.Subject, "Ünïcödé 主题")
	test.Type(c.Body, "Line one\nLine two")
	if err := c.SaveDraft(); err != nil {
		t.Fatal(err)
	}
	c2, _ := newTestComposer(t, dir)
	if c2.To.Text != "ann@example.com" || c2.Bcc.Text != "boss@example.com" ||
		c2.Subject.Text != "Ünïcödé 主题" || c2.Body.Text != "Line one\nLine two" {
		t.Fatalf("restored draft: to=%q bcc=%q subject=%q body=%q", c2.To.Text, c2.Bcc.Text, c2.Subject.Text, c2.Body.Text)
	}
	if !c2.Notice.Visible() || !strings.Contains(c2.Notice.Text, "restored") {
		t.Fatalf("notice = %q (visible %v), want a restore notice", c2.Notice.Text, c2.Notice.Visible())
	}
}

func TestADamagedDraftIsKeptAsideNotDeleted(t *testing.T) {
	dir := t.TempDir()
	store := newDraftStore(dir)
	os.MkdirAll(filepath.Dir(store.path), 0o700)
	os.WriteFile(store.path, []byte(`{"version":1,"to":"ann@exa`), 0o600)
	c, _ := newTestComposer(t, dir)
	if !strings.Contains(c.Notice.Text, "damaged") {
		t.Fatalf("notice = %q, want it to say the draft was damaged", c.Notice.Text)
	}
	matches, _ := filepath.Glob(store.path + ".broken-*")
	if len(matches) != 1 {
		t.Fatalf("kept-aside drafts = %v, want one", matches)
	}
	if data, _ := os.ReadFile(matches[0]); !strings.Contains(string(data), "ann@exa") {
		t.Fatal("the kept-aside draft lost its content")
	}
}

func TestAnInterruptedSendIsReportedAsUnknownOnTheNextStart(t *testing.T) {
	dir := t.TempDir()
	c, _ := newTestComposer(t, dir)
	test.Type(c.To, "ann@example.com")
	test.Type(c.Subject, "Hello")
	c.TrySend() // the test Send never finishes: as if Stamp were killed now
	c2, _ := newTestComposer(t, dir)
	if c2.Subject.Text != "Hello" || !strings.Contains(c2.Notice.Text, "may or may not have been delivered") {
		t.Fatalf("subject=%q notice=%q", c2.Subject.Text, c2.Notice.Text)
	}
}

func TestCcAndBccStayVisibleWhileTheyHoldAddresses(t *testing.T) {
	c, _ := newTestComposer(t, t.TempDir())
	c.SetShowCcBcc(true)
	test.Type(c.Bcc, "x@example.com")
	c.SetShowCcBcc(false)
	if !c.showCcBcc {
		t.Fatal("hiding Cc/Bcc hid an address the person typed")
	}
	c.Bcc.SetText("")
	c.SetShowCcBcc(false)
	if c.showCcBcc || c.app.Preferences().Bool(prefShowCcBcc) {
		t.Fatal("Cc/Bcc could not be hidden, or the choice was not remembered")
	}
}

func TestEscClosesTheDialogOnTop(t *testing.T) {
	c, _ := newTestComposer(t, t.TempDir())
	c.TrySend() // nothing to send: an explanation dialog opens
	overlays := c.Window.Canvas().Overlays()
	if overlays.Top() == nil {
		t.Fatal("no dialog opened")
	}
	c.dialogs.typedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if overlays.Top() != nil {
		t.Fatal("Esc did not close the dialog")
	}
}

func TestWarningsAskBeforeSendingAndSendAnywayGoesOn(t *testing.T) {
	c, got := newTestComposer(t, t.TempDir())
	test.Type(c.To, "ann@example.com")
	test.Type(c.Body, "See the attached plan.")
	c.TrySend()
	if len(*got) != 0 {
		t.Fatal("sent without asking about the empty subject and the missing attachment")
	}
	top := c.Window.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no warning dialog")
	}
	var labels []string
	var sendAnyway *widget.Button
	walk(top, func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			labels = append(labels, w.Text)
		case *widget.Button:
			if w.Text == "Send anyway" {
				sendAnyway = w
			}
		}
	})
	text := strings.Join(labels, "\n")
	if !strings.Contains(text, "The subject is empty.") || !strings.Contains(text, "mentions an attachment") {
		t.Fatalf("warning dialog says %q", text)
	}
	if sendAnyway == nil {
		t.Fatal("no Send anyway button")
	}
	test.Tap(sendAnyway)
	if len(*got) != 1 {
		t.Fatal("Send anyway did not send")
	}
}

// walk visits o and everything inside it.
func walk(o fyne.CanvasObject, f func(fyne.CanvasObject)) {
	f(o)
	switch w := o.(type) {
	case *fyne.Container:
		for _, c := range w.Objects {
			walk(c, f)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(w).Objects() {
			walk(c, f)
		}
	}
}

func TestALineBreakInTheSubjectIsRefusedNotSent(t *testing.T) {
	c, got := newTestComposer(t, t.TempDir())
	test.Type(c.To, "ann@example.com")
	c.Subject.SetText("Hello\r\nBcc: everyone@example.com")
	test.Type(c.Body, "hi")
	c.TrySend()
	if len(*got) != 0 {
		t.Fatal("a subject with CR/LF was sent")
	}
	top := c.Window.Canvas().Overlays().Top()
	var text []string
	if top != nil {
		walk(top, func(o fyne.CanvasObject) {
			if l, ok := o.(*widget.Label); ok {
				text = append(text, l.Text)
			}
		})
	}
	if !strings.Contains(strings.Join(text, " "), "Subject") {
		t.Fatalf("the error does not name the Subject: %q", text)
	}
	if c.Subject.Text == "" || c.To.Text == "" {
		t.Fatal("the form lost text")
	}
}

func TestTenThousandRecipientsStayUsable(t *testing.T) {
	c, got := newTestComposer(t, t.TempDir())
	c.SetShowCcBcc(true)
	var b strings.Builder
	n := 10000
	if s := os.Getenv("STAMP_TEST_RCPTS"); s != "" {
		fmt.Sscan(s, &n)
	}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "user%d@example.com, ", i)
	}
	c.Bcc.SetText(b.String())
	test.Type(c.To, "list@example.com")
	test.Type(c.Subject, "Newsletter")
	if !strings.Contains(c.Status.Text, fmt.Sprintf("Will be delivered to %d addresses", n+1)) || !strings.Contains(c.Status.Text, fmt.Sprintf("and %d more", n-5)) {
		t.Fatalf("status = %q", c.Status.Text)
	}
	c.TrySend()
	if len(*got) != 1 || len((*got)[0].msg.Bcc) != n {
		t.Fatal("the message with 10,000 Bcc recipients was not handed to the sender whole")
	}
}
