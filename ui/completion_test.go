package ui

import (
	"net/mail"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"stamp/compose"
	"stamp/contacts"
)

// testBook is a contacts book in a temp folder: Ann Smith (sent 3 times),
// Annabel Lee (once), "Smith, John" (once), Bob (never).
func testBook(t *testing.T) *contacts.Store {
	t.Helper()
	book, err := contacts.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		book.Learn([]mail.Address{{Name: "Ann Smith", Address: "ann@example.org"}}, nil, nil)
	}
	book.Learn([]mail.Address{{Name: "Annabel Lee", Address: "annabel@example.net"}}, nil, nil)
	book.Learn([]mail.Address{{Name: "Smith, John", Address: "js@example.com"}}, nil, nil)
	book.Add("Bob", "bob@example.com")
	return book
}

// completingComposer is a composer whose address fields complete from book.
func completingComposer(t *testing.T, book *contacts.Store) *Composer {
	t.Helper()
	a := test.NewTempApp(t)
	c := NewComposer(a, Options{
		DataDir:  t.TempDir(),
		Senders:  func() []Sender { return []Sender{testSender} },
		Contacts: book,
	})
	t.Cleanup(func() {
		if c.timer != nil {
			c.timer.Stop()
		}
	})
	c.SetShowCcBcc(true)
	c.Window.Resize(fyne.NewSize(760, 620))
	c.Window.Show()
	return c
}

// keyboard types into whatever has the focus, as the real keyboard does.
func keyboardType(w fyne.Window, s string) {
	for _, r := range s {
		w.Canvas().Focused().TypedRune(r)
	}
}

func press(w fyne.Window, k fyne.KeyName) {
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: k})
}

func suggested(e *AddressEntry) []string {
	var out []string
	for _, c := range e.Suggestions() {
		out = append(out, c.Address)
	}
	return out
}

func TestCompletionAfterTwoLettersAcceptedWithTheKeyboard(t *testing.T) {
	c := completingComposer(t, testBook(t))
	w := c.Window
	w.Canvas().Focus(c.To)
	keyboardType(w, "a")
	if got := suggested(c.To); got != nil {
		t.Fatalf("suggestions after one letter: %v", got)
	}
	keyboardType(w, "n")
	if got := suggested(c.To); !slices.Equal(got, []string{"ann@example.org", "annabel@example.net"}) {
		t.Fatalf("after \"an\": %v, want Ann (3 sends) before Annabel (1)", got)
	}
	if _, ok := w.Canvas().Focused().(*suggestList); !ok {
		t.Fatalf("the open list does not have the keyboard (%T has)", w.Canvas().Focused())
	}
	keyboardType(w, "n") // typing goes on while the list is open
	if c.To.Text != "ann" || len(suggested(c.To)) != 2 {
		t.Fatalf("text %q, suggestions %v", c.To.Text, suggested(c.To))
	}
	press(w, fyne.KeyDown) // Ann: nothing is chosen before the first Down
	press(w, fyne.KeyDown)
	press(w, fyne.KeyReturn)
	if c.To.Text != "Annabel Lee <annabel@example.net>, " {
		t.Fatalf("To after Down, Down, Enter: %q", c.To.Text)
	}
	if suggested(c.To) != nil {
		t.Fatal("the list stayed open after accepting")
	}
	if w.Canvas().Focused() != c.To {
		t.Fatalf("focus is on %T after accepting, want the To field", w.Canvas().Focused())
	}
	// The next address in the same field, chosen with Down, accepted with Tab.
	keyboardType(w, "bo")
	press(w, fyne.KeyDown)
	press(w, fyne.KeyTab)
	if c.To.Text != "Annabel Lee <annabel@example.net>, Bob <bob@example.com>, " {
		t.Fatalf("To after the second completion: %q", c.To.Text)
	}
	list, err := compose.ParseAddressList("To", c.To.Text)
	if err != nil || len(list) != 2 {
		t.Fatalf("the completed field does not parse: %v %v", list, err)
	}
}

func TestCompletionReplacesOnlyTheAddressUnderTheCursor(t *testing.T) {
	c := completingComposer(t, testBook(t))
	w := c.Window
	w.Canvas().Focus(c.Cc)
	c.Cc.SetText(`"Smith, John" <js@example.com>, an, carol@example.org`)
	c.Cc.CursorColumn = len([]rune(`"Smith, John" <js@example.com>, an`))
	keyboardType(w, "n")
	if got := suggested(c.Cc); len(got) != 2 || got[0] != "ann@example.org" {
		t.Fatalf("suggestions for the middle address: %v", got)
	}
	press(w, fyne.KeyDown)
	press(w, fyne.KeyTab)
	want := `"Smith, John" <js@example.com>, Ann Smith <ann@example.org>, carol@example.org`
	if c.Cc.Text != want {
		t.Fatalf("Cc = %q\nwant %q", c.Cc.Text, want)
	}
	if c.Cc.CursorColumn != len([]rune(`"Smith, John" <js@example.com>, Ann Smith <ann@example.org>`)) {
		t.Fatalf("cursor at %d, want right after the completed address", c.Cc.CursorColumn)
	}
	list, err := compose.ParseAddressList("Cc", c.Cc.Text)
	if err != nil || len(list) != 3 || list[0].Name != "Smith, John" {
		t.Fatalf("parsed: %+v %v", list, err)
	}
}

func TestCompletionOfANameWithACommaIsQuoted(t *testing.T) {
	c := completingComposer(t, testBook(t))
	w := c.Window
	w.Canvas().Focus(c.Bcc)
	keyboardType(w, "jo")
	if got := suggested(c.Bcc); !slices.Equal(got, []string{"js@example.com"}) {
		t.Fatalf("suggestions: %v", got)
	}
	press(w, fyne.KeyDown)
	press(w, fyne.KeyEnter)
	list, err := compose.ParseAddressList("Bcc", c.Bcc.Text)
	if err != nil || len(list) != 1 || list[0].Name != "Smith, John" || list[0].Addr != "js@example.com" {
		t.Fatalf("Bcc %q parses as %+v, %v", c.Bcc.Text, list, err)
	}
}

func TestEscClosesTheListAndKeepsTheText(t *testing.T) {
	c := completingComposer(t, testBook(t))
	w := c.Window
	w.Canvas().Focus(c.To)
	keyboardType(w, "sm")
	if len(suggested(c.To)) != 2 {
		t.Fatalf("suggestions for \"sm\": %v", suggested(c.To))
	}
	press(w, fyne.KeyEscape)
	if suggested(c.To) != nil || c.To.Text != "sm" {
		t.Fatalf("after Esc: list %v, text %q", suggested(c.To), c.To.Text)
	}
	if w.Canvas().Focused() != c.To {
		t.Fatal("Esc did not give the keyboard back to the field")
	}
	keyboardType(w, "ith")
	if len(suggested(c.To)) != 2 {
		t.Fatalf("suggestions for \"smith\": %v", suggested(c.To))
	}
	c.To.SetText("")
	keyboardType(w, "BOB@example.com")
	if suggested(c.To) != nil {
		t.Fatalf("a known address typed in full still offers %v (Tab would not move on)", suggested(c.To))
	}
	c.To.SetText("sm")
	c.To.CursorColumn = 2
	press(w, fyne.KeyBackspace)
	if suggested(c.To) != nil || c.To.Text != "s" {
		t.Fatalf("after Backspace: %v %q", suggested(c.To), c.To.Text)
	}
}

func TestForgetFromTheCompletionList(t *testing.T) {
	book := testBook(t)
	c := completingComposer(t, book)
	w := c.Window
	w.Canvas().Focus(c.To)
	keyboardType(w, "an")
	press(w, fyne.KeyDown) // choose Ann
	list := w.Canvas().Focused().(desktop.Keyable)
	list.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	// Shift+Delete, as Fyne's desktop driver delivers it: a Cut while Shift
	// is held. It forgets Ann, the chosen one.
	w.Canvas().Focused().(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutCut{Clipboard: test.NewClipboard()})
	list.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	if _, ok := book.Get("ann@example.org"); ok {
		t.Fatal("Shift+Delete did not forget the address")
	}
	if got := suggested(c.To); !slices.Equal(got, []string{"annabel@example.net"}) {
		t.Fatalf("after forgetting: %v", got)
	}
	if c.To.Text != "an" {
		t.Fatalf("forgetting changed the field: %q", c.To.Text)
	}
	// Ctrl+X (a Cut without Shift) forgets nothing.
	w.Canvas().Focused().(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutCut{Clipboard: test.NewClipboard()})
	if _, ok := book.Get("annabel@example.net"); !ok || c.To.Text != "an" {
		t.Fatalf("Ctrl+X forgot an address or cut text: %q", c.To.Text)
	}
	// The list's own button forgets too.
	btn := findButton(w.Canvas().Overlays().Top(), "Forget")
	if btn == nil {
		t.Fatal("no Forget button in the list")
	}
	test.Tap(btn)
	if _, ok := book.Get("annabel@example.net"); ok || suggested(c.To) != nil {
		t.Fatalf("the Forget button did not forget: %v", suggested(c.To))
	}
}

func TestAClickOnTheHighlightedSuggestionAcceptsIt(t *testing.T) {
	c := completingComposer(t, testBook(t))
	w := c.Window
	w.Canvas().Focus(c.To)
	keyboardType(w, "an")
	var rows []*suggestRow
	walk(w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if r, ok := o.(*suggestRow); ok && r.Visible() {
			rows = append(rows, r)
		}
	})
	if len(rows) < 2 {
		t.Fatalf("%d rows in the list", len(rows))
	}
	for _, r := range rows {
		if r.id == 0 { // the first one
			test.Tap(r)
		}
	}
	if c.To.Text != "Ann Smith <ann@example.org>, " || suggested(c.To) != nil {
		t.Fatalf("after a click on the first suggestion: %q, list %v", c.To.Text, suggested(c.To))
	}
}

func TestWithoutContactsTheFieldsArePlainEntries(t *testing.T) {
	c, _ := newTestComposer(t, t.TempDir())
	test.Type(c.To, "an")
	if c.To.Suggestions() != nil || c.To.AcceptsTab() {
		t.Fatal("a composer without contacts suggests")
	}
}

func TestASendTeachesTheContactsWithBcc(t *testing.T) {
	c, _, _ := sandboxComposer(t)
	book, err := contacts.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	c.opts.Contacts = book
	c.SetShowCcBcc(true)
	test.Type(c.To, "Ann <ann@example.com>")
	test.Type(c.Cc, "bob@example.com")
	test.Type(c.Bcc, "Hidden Carol <carol@example.com>")
	test.Type(c.Subject, "hi")
	test.Type(c.Body, "hello")
	c.TrySend()
	waitFor(t, "the recipients in the contacts", func() bool { return book.Len() == 3 })
	if carol, _ := book.Get("carol@example.com"); carol.Name != "Hidden Carol" || carol.Uses != 1 {
		t.Fatalf("the Bcc recipient: %+v", carol)
	}
	if with := book.SentWith("ann@example.com"); !slices.Equal(with, []string{"bob@example.com"}) {
		t.Fatalf("ann sent with %v, want bob only", with)
	}
	if _, ok := book.Get("me@stamp.test"); ok || strings.Contains(strings.Join(book.SentWith("bob@example.com"), ","), "carol") {
		t.Fatal("the sender or the Bcc is named with others")
	}
}
