package ui

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"stamp/smtpclient"
	"stamp/smtpclient/sandbox"
)

// newTestComposers is the set of composers on a fresh headless app over
// dir, as the app wires it (opts.DataDir is set to dir); stops counts the
// times the last composer's close ended the app.
func newTestComposers(t *testing.T, dir string, opts Options) (s *Composers, stops *int) {
	t.Helper()
	opts.DataDir = dir
	if opts.Senders == nil {
		opts.Senders = func() []Sender { return []Sender{testSender} }
	}
	s = NewComposers(test.NewTempApp(t), opts)
	stops = new(int)
	s.lastClosed = func() { *stops++ } // Stopped is for good: not in this process
	t.Cleanup(func() {
		if !s.Wait(10 * time.Second) {
			t.Error("a send was still under way 10 s after the test")
		}
		if s.menuTimer != nil {
			s.menuTimer.Stop()
		}
		for _, c := range s.all {
			if c.timer != nil {
				c.timer.Stop()
			}
		}
	})
	return s, stops
}

// pressShortcut runs the menu item of w's main menu bound to key with the
// shortcut modifier (Ctrl, Cmd on macOS), as Fyne's window does for a key
// press (the headless window has no menu bar of its own).
func pressShortcut(t *testing.T, w fyne.Window, key fyne.KeyName) {
	t.Helper()
	want := (&desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}).ShortcutName()
	for _, m := range w.MainMenu().Items {
		for _, item := range m.Items {
			if item.Shortcut != nil && item.Shortcut.ShortcutName() == want {
				item.Action()
				return
			}
		}
	}
	t.Fatalf("no menu item has the shortcut %s", want)
}

// windowMenu is the labels of w's Window menu, the checked one marked "*".
func windowMenu(t *testing.T, w fyne.Window) (labels []string, items []*fyne.MenuItem) {
	t.Helper()
	for _, m := range w.MainMenu().Items {
		if m.Label == "Window" {
			for _, item := range m.Items {
				l := item.Label
				if item.Checked {
					l += " *"
				}
				labels = append(labels, l)
			}
			return labels, m.Items
		}
	}
	t.Fatal("no Window menu")
	return nil, nil
}

// draftFiles reads every draft file in dir's drafts folder as plain JSON
// (not through draftStore) and returns their subjects, sorted.
func draftFiles(t *testing.T, dir string) []string {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(dir, "Drafts", "*.json"))
	var subjects []string
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var d struct{ Subject string }
		if err := json.Unmarshal(data, &d); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		subjects = append(subjects, d.Subject)
	}
	sort.Strings(subjects)
	return subjects
}

func write(c *Composer, subject, body string) {
	test.Type(c.To, "ann@example.com")
	test.Type(c.Subject, subject)
	test.Type(c.Body, body)
}

func TestCtrlNOpensASecondComposerWithADraftOfItsOwn(t *testing.T) {
	dir := t.TempDir()
	s, _ := newTestComposers(t, dir, Options{})
	first := s.Start(nil)
	msg := first.Window.MainMenu().Items[0].Items
	if msg[0].Label != "New message" || !msg[len(msg)-1].IsQuit {
		t.Fatalf("the Message menu runs from %q to %q; want New message first and Quit last", msg[0].Label, msg[len(msg)-1].Label)
	}
	write(first, "Lunch", "At noon?")
	pressShortcut(t, first.Window, fyne.KeyN)
	if n := len(s.Open()); n != 2 {
		t.Fatalf("after Ctrl+N, %d composers are open, want 2", n)
	}
	second := s.Front()
	if second == first || second.Subject.Text != "" || second.Body.Text != "" {
		t.Fatalf("Ctrl+N did not bring a new, empty composer to the front (subject %q)", second.Subject.Text)
	}
	if first.Subject.Text != "Lunch" {
		t.Fatal("opening a second composer changed the first")
	}
	write(second, "Report", "Attached soon.")
	for _, c := range s.Open() {
		c.autosave()
	}
	if got := draftFiles(t, dir); strings.Join(got, "|") != "Lunch|Report" {
		t.Fatalf("the drafts folder holds %q, want one draft per composer (Lunch, Report)", got)
	}
}

func TestClosingOneComposerKeepsTheOthersDraft(t *testing.T) {
	dir := t.TempDir()
	s, stops := newTestComposers(t, dir, Options{})
	a := s.Start(nil)
	b := s.NewComposer()
	write(a, "Discard me", "Not needed.")
	write(b, "Keep me", "Still writing.")
	a.autosave()
	b.autosave()
	a.closeRequested()
	if text := dialogText(a.Window.Canvas().Overlays().Top()); !strings.Contains(text, "Close this message?") ||
		!strings.Contains(text, "has not been sent") {
		t.Fatalf("closing one of two composers with text asks %q; want it to close this message, not Stamp", text)
	}
	if b.Window.Canvas().Overlays().Top() != nil {
		t.Fatal("closing one composer asked in the other window too")
	}
	tapButton(t, a.Window, "Discard")
	if got := draftFiles(t, dir); strings.Join(got, "|") != "Keep me" {
		t.Fatalf("after discarding one of two, the drafts are %q, want only the other (Keep me)", got)
	}
	if len(s.Open()) != 1 || s.Front() != b || *stops != 0 {
		t.Fatalf("after closing one of two composers: %d open, app ended %d times", len(s.Open()), *stops)
	}
	b.closeRequested()
	if text := dialogText(b.Window.Canvas().Overlays().Top()); !strings.Contains(text, "Close Stamp?") {
		t.Fatalf("closing the last composer asks %q; want Close Stamp?", text)
	}
	tapButton(t, b.Window, "Save draft")
	if *stops != 1 {
		t.Fatal("closing the last composer did not end the app")
	}
	if got := draftFiles(t, dir); strings.Join(got, "|") != "Keep me" {
		t.Fatalf("after Save draft on the last composer, the drafts are %q", got)
	}
}

func TestEverySavedDraftComesBackInAWindowOfItsOwn(t *testing.T) {
	dir := t.TempDir()
	s, _ := newTestComposers(t, dir, Options{})
	a := s.Start(nil)
	b := s.NewComposer()
	s.NewComposer() // empty: leaves no draft and no window next time
	write(a, "First", "One.")
	write(b, "Second", "Two.")
	a.autosave()
	b.autosave()
	// The process dies here (kill -9): nothing else is written.

	s2, _ := newTestComposers(t, dir, Options{})
	s2.Start(nil)
	var got []string
	for _, c := range s2.Open() {
		got = append(got, c.Subject.Text+": "+c.Body.Text)
		if !strings.Contains(c.Notice.Text, "was restored") {
			t.Errorf("the composer of %q says %q, want that the draft was restored", c.Subject.Text, c.Notice.Text)
		}
	}
	sort.Strings(got)
	if strings.Join(got, "|") != "First: One.|Second: Two." {
		t.Fatalf("after a restart, the composers hold %q, want both drafts, one window each", got)
	}
}

func TestTheDraftOfThePreviousVersionComesBackAsOneComposer(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "Drafts"), 0o700)
	legacy := `{"version":1,"account":"sandbox","to":"ann@example.com","subject":"Old draft","body":"From before.","saved":"2026-12-01T10:00:00Z"}`
	writeFile(t, filepath.Join(dir, "Drafts"), "current.json", []byte(legacy))
	s, _ := newTestComposers(t, dir, Options{})
	c := s.Start(nil)
	if len(s.Open()) != 1 || c.Subject.Text != "Old draft" || c.Body.Text != "From before." {
		t.Fatalf("the old single draft came back as %d composers, front holding %q", len(s.Open()), c.Subject.Text)
	}
	test.Type(c.Body, " And after.")
	c.autosave()
	if got := draftFiles(t, dir); len(got) != 1 || got[0] != "Old draft" {
		t.Fatalf("after editing the old draft, the drafts folder holds %q, want the one draft", got)
	}
}

func TestTheWindowMenuListsTheOpenDraftsAndBringsOneToTheFront(t *testing.T) {
	s, _ := newTestComposers(t, t.TempDir(), Options{})
	a := s.Start(nil)
	test.Type(a.Subject, "Holiday plans")
	b := s.NewComposer()
	labels, _ := windowMenu(t, b.Window)
	if strings.Join(labels, "|") != "Holiday plans|(no subject) *" {
		t.Fatalf("the Window menu lists %q", labels)
	}
	test.Type(b.Subject, "Invoice")
	waitFor(t, "the Window menu to show the new subject", func() bool {
		labels, _ := windowMenu(t, a.Window)
		return strings.Join(labels, "|") == "Holiday plans *|Invoice"
	})
	_, items := windowMenu(t, b.Window)
	items[0].Action()
	if s.Front() != a {
		t.Fatal("choosing a composer in the Window menu did not bring it to the front")
	}
	a.Window.Close()
	if labels, _ := windowMenu(t, b.Window); strings.Join(labels, "|") != "Invoice *" {
		t.Fatalf("after one closed, the Window menu lists %q", labels)
	}
}

func TestQuitAsksOnceNamingEveryUnsentMessageAndKeepsThemAll(t *testing.T) {
	dir := t.TempDir()
	s, stops := newTestComposers(t, dir, Options{})
	a := s.Start(nil)
	b := s.NewComposer()
	s.NewComposer() // empty: nothing to ask about
	write(a, "Budget", "Numbers.")
	write(b, "", "No subject yet.")
	pressShortcut(t, a.Window, fyne.KeyQ)
	front := s.Front().Window
	text := dialogText(front.Canvas().Overlays().Top())
	if !strings.Contains(text, "Budget") || !strings.Contains(text, "(no subject)") || strings.Count(text, "•") != 2 {
		t.Fatalf("Quit asks %q; want one question naming both unsent messages", text)
	}
	tapButton(t, front, "Keep drafts and quit")
	if len(s.Open()) != 0 || *stops != 1 {
		t.Fatalf("after Quit: %d composers open, app ended %d times", len(s.Open()), *stops)
	}
	if got := draftFiles(t, dir); strings.Join(got, "|") != "|Budget" {
		t.Fatalf("after Quit the drafts are %q, want both unsent messages (one without subject)", got)
	}
}

// slowComposers is a set whose composers send through PanelSend to a plain
// sandbox that answers the end of each message after delay.
func slowComposers(t *testing.T, dir string, delay time.Duration) (*Composers, *int, *sandbox.Server) {
	t.Helper()
	srv, err := sandbox.Start(context.Background(), sandbox.Options{Security: sandbox.None, FinalReplyDelay: delay})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	cfg := smtpclient.Config{Host: srv.Host(), Port: srv.Port(), Security: smtpclient.SecurityNone}
	s, stops := newTestComposers(t, dir, Options{
		Send: PanelSend(func(context.Context, Sender, fyne.Window) (smtpclient.Config, func(bool), error) {
			return cfg, nil, nil
		}, filepath.Join(dir, "Sent")),
	})
	return s, stops, srv
}

func TestASendInOneComposerEndsAsUsualWhileAnotherCloses(t *testing.T) {
	dir := t.TempDir()
	s, stops, srv := slowComposers(t, dir, 500*time.Millisecond)
	a := s.Start(nil)
	b := s.NewComposer()
	write(a, "Going out", "Sent while the other closes.")
	write(b, "Staying", "Kept.")
	done := sendsDone(a)
	a.TrySend()
	if !a.sending {
		t.Fatal("the send did not start")
	}
	b.closeRequested()
	tapButton(t, b.Window, "Save draft")
	waitDone(t, done)
	waitMessages(t, srv, 1)
	if a.Subject.Text != "" {
		t.Fatal("the sent message stayed in its composer")
	}
	if got := draftFiles(t, dir); strings.Join(got, "|") != "Staying" {
		t.Fatalf("after one composer sent and the other closed, the drafts are %q, want only the closed one's", got)
	}
	if *stops != 0 || len(s.Open()) != 1 {
		t.Fatal("the app ended while a composer was open")
	}
	// Closing the composer closes its kept send panel too.
	panel := a.panel
	if panel == nil || !isOpen(s.app, panel.Window) {
		t.Fatal("no send panel kept after the send")
	}
	s.NewComposer()
	a.closeRequested() // empty after the send: closes without asking
	if isOpen(s.app, panel.Window) {
		t.Fatal("the send panel of a closed composer stayed open")
	}
	if *stops != 0 {
		t.Fatal("closing one of two composers ended the app")
	}
}

func TestQuitDuringASendStopsItAndKeepsTheMessageMarkedAsPossiblySent(t *testing.T) {
	dir := t.TempDir()
	s, stops, _ := slowComposers(t, dir, 3*time.Second)
	a := s.Start(nil)
	b := s.NewComposer()
	write(a, "In flight", "Being sent.")
	write(b, "Other", "Unsent.")
	a.TrySend()
	if !a.sending {
		t.Fatal("the send did not start")
	}
	s.Quit()
	front := s.Front().Window
	if text := dialogText(front.Canvas().Overlays().Top()); !strings.Contains(text, "In flight: being sent") {
		t.Fatalf("Quit during a send asks %q; want it to say the send stops", text)
	}
	tapButton(t, front, "Keep drafts and quit")
	if *stops != 1 {
		t.Fatal("Quit did not end the app")
	}
	if !s.Wait(10 * time.Second) {
		t.Fatal("the stopped send did not end")
	}
	drainUI() // the send's end, handed to the UI: a closed composer does nothing with it
	paths, _ := filepath.Glob(filepath.Join(dir, "Drafts", "*.json"))
	var marked []string
	for _, p := range paths {
		data, _ := os.ReadFile(p)
		var d struct {
			Subject string
			Sending bool
		}
		json.Unmarshal(data, &d)
		if d.Sending {
			marked = append(marked, d.Subject)
		}
	}
	if strings.Join(marked, "|") != "In flight" || len(paths) != 2 {
		t.Fatalf("after Quit during a send, %d drafts, marked as possibly sent: %q; want both kept, the one in flight marked", len(paths), marked)
	}
}

func TestADamagedDraftBesideAGoodOneIsKeptAsideAndTheGoodOneComesBack(t *testing.T) {
	dir := t.TempDir()
	drafts := filepath.Join(dir, "Drafts")
	os.MkdirAll(drafts, 0o700)
	writeFile(t, drafts, "draft-good.json", []byte(`{"version":1,"to":"ann@example.com","subject":"Good","body":"Fine.","saved":"2026-12-01T10:00:00Z"}`))
	writeFile(t, drafts, "draft-bad.json", []byte(`{"version":1,"subject":"Trunc`))
	s, _ := newTestComposers(t, dir, Options{})
	s.Start(nil)
	var subjects, notices []string
	for _, c := range s.Open() {
		subjects = append(subjects, c.Subject.Text)
		notices = append(notices, c.Notice.Text)
	}
	if len(subjects) != 2 || !strings.Contains(strings.Join(subjects, "|"), "Good") {
		t.Fatalf("a damaged draft beside a good one: composers hold %q", subjects)
	}
	if !strings.Contains(strings.Join(notices, "|"), "damaged; it was kept as") {
		t.Fatalf("nobody says the damaged draft was kept aside: %q", notices)
	}
	if aside, _ := filepath.Glob(filepath.Join(drafts, "draft-bad.json.broken-*")); len(aside) != 1 {
		t.Fatal("the damaged draft was not kept aside")
	}
	if ids, _ := savedDraftIDs(dir); len(ids) != 1 || ids[0] != "draft-good" {
		t.Fatalf("the next start would restore %q; want only the good draft", ids)
	}
}
