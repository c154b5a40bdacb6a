package ui

import (
	"net/mail"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"stamp/contacts"
)

// Finding 1: a person types a complete address that is not in the book
// (bo@example.com) and presses Tab to go on to the next field, as in every
// mail program. A longer known address starts with what was typed
// (bo@example.com.au), so the list is open with it preselected, and Tab
// accepts it: the address typed is silently replaced by one the person
// never chose.
func TestAttackTabAfterFullTypedAddressReplacesIt(t *testing.T) {
	book, err := contacts.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := book.Learn([]mail.Address{{Name: "Bo Other", Address: "bo@example.com.au"}}, nil, nil); err != nil {
		t.Fatal(err)
	}
	c := completingComposer(t, book)
	w := c.Window
	w.Canvas().Focus(c.To)
	keyboardType(w, "bo@example.com")
	press(w, fyne.KeyTab)
	if strings.Contains(c.To.Text, "example.com.au") {
		t.Fatalf("Tab after typing a complete address replaced it: To is %q, the person typed bo@example.com", c.To.Text)
	}
}

// Finding 5: a contact whose display name holds an odd number of double
// quotes (5" Floppy, Inc — a name imported from a vCard) is inserted as
// "5\" Floppy, Inc" <…>. addressBounds toggles "quoted" on every '"',
// escaped or not, so after it the rest of the field counts as inside a
// quoted string: the next address typed after the comma gets no
// suggestions at all.
func TestAttackEscapedQuoteInNameBreaksCompletionOfNextAddress(t *testing.T) {
	book := testBook(t)
	if err := book.Learn([]mail.Address{{Name: `5" Floppy, Inc`, Address: "floppy@example.org"}}, nil, nil); err != nil {
		t.Fatal(err)
	}
	c := completingComposer(t, book)
	w := c.Window
	w.Canvas().Focus(c.To)
	keyboardType(w, "flo")
	if len(suggested(c.To)) == 0 {
		t.Fatal("no suggestion for flo")
	}
	press(w, fyne.KeyDown) // nothing is chosen before
	press(w, fyne.KeyReturn)
	if !strings.Contains(c.To.Text, "floppy@example.org") {
		t.Fatalf("accept gave %q", c.To.Text)
	}
	w.Canvas().Focus(c.To)
	keyboardType(w, "bo")
	if got := suggested(c.To); len(got) == 0 || got[0] != "bob@example.com" {
		t.Fatalf("after %q, typing bo suggests %v; want bob@example.com (the quote in the first name hides the comma)", c.To.Text, got)
	}
}

// Finding 2: cursor in the middle. The person fixes a typo inside an
// address already in the field (anabel@… → annabel@…, a known contact):
// the query is only the text before the cursor ("ann"), so the list opens
// with the best-ranked "ann" contact (Ann Smith) preselected, and the Tab
// that would move on replaces the whole corrected address, up to the next
// comma, with a different person.
func TestAttackFixingATypoMidAddressThenTabSwapsThePerson(t *testing.T) {
	c := completingComposer(t, testBook(t))
	w := c.Window
	w.Canvas().Focus(c.To)
	c.To.SetText("anabel@example.net, bob@example.com")
	c.To.CursorColumn = 2
	keyboardType(w, "n")
	press(w, fyne.KeyTab)
	if !strings.Contains(c.To.Text, "annabel@example.net") || strings.Contains(c.To.Text, "ann@example.org") {
		t.Fatalf("after fixing anabel→annabel and pressing Tab, To is %q; the person chose annabel@example.net", c.To.Text)
	}
}
