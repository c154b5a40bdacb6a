package ui

import (
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"stamp/contacts"
)

func TestContactsWindowSearchesEditsForgetsAndImports(t *testing.T) {
	a := test.NewTempApp(t)
	book := testBook(t)
	w := ShowContacts(a, book)
	if len(w.shown) != 4 || w.shown[0].Address != "ann@example.org" {
		t.Fatalf("the window lists %v, want four, Ann (most sent) first", addressesOf(w.shown))
	}
	test.Type(w.Search, "smi")
	if got := addressesOf(w.shown); strings.Join(got, " ") != "ann@example.org js@example.com" {
		t.Fatalf("search 'smi' lists %v", got)
	}
	w.List.Select(1)
	if w.Name.Text != "Smith, John" || w.Address.Text != "js@example.com" || !strings.Contains(w.Info.Text, "Sent once") {
		t.Fatalf("form: %q %q %q", w.Name.Text, w.Address.Text, w.Info.Text)
	}
	w.Name.SetText("John Smith")
	test.Tap(w.Save)
	if c, _ := book.Get("js@example.com"); c.Name != "John Smith" {
		t.Fatalf("Save did not rename: %+v (status %q)", c, w.Status.Text)
	}
	w.Address.SetText("not an address")
	test.Tap(w.Save)
	if !strings.Contains(w.Status.Text, "not an e-mail address") {
		t.Fatalf("a bad address saved without a word: %q", w.Status.Text)
	}
	w.Address.SetText("js@example.com")
	test.Tap(w.Forget)
	if _, ok := book.Get("js@example.com"); ok {
		t.Fatal("Forget left the address in the book")
	}
	if !strings.Contains(w.Status.Text, "js@example.com forgotten") {
		t.Fatalf("status after forgetting: %q", w.Status.Text)
	}
	w.Search.SetText("")
	w.Import(filepath.Join("..", "contacts", "testdata", "malformed.vcf"))
	waitFor(t, "the import's report", func() bool { return strings.Contains(w.Status.Text, "Imported") })
	for _, want := range []string{"3 new", `Not all imported: card 2 "No End"`, `card 5 <klingon@example.org>`} {
		if !strings.Contains(w.Status.Text, want) {
			t.Errorf("the import report lacks %q:\n%s", want, w.Status.Text)
		}
	}
	if len(w.shown) != 6 {
		t.Fatalf("after the import the list has %d, want 6", len(w.shown))
	}
}

func addressesOf(list []contacts.Contact) []string {
	var out []string
	for _, c := range list {
		out = append(out, c.Address)
	}
	return out
}
