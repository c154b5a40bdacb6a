package ui

import (
	"testing"

	"fyne.io/fyne/v2"
)

// Nothing is chosen until Up or Down: Enter keeps what was typed, Tab moves
// on to the next field, Up chooses the last row.
func TestCompletionChangesNothingUntilARowIsChosen(t *testing.T) {
	c := completingComposer(t, testBook(t))
	w := c.Window
	w.Canvas().Focus(c.To)
	keyboardType(w, "an")
	if len(suggested(c.To)) != 2 {
		t.Fatalf("suggestions for \"an\": %v", suggested(c.To))
	}
	press(w, fyne.KeyReturn)
	if c.To.Text != "an" || suggested(c.To) != nil {
		t.Fatalf("Enter with nothing chosen: text %q, list %v; want \"an\" kept and the list closed", c.To.Text, suggested(c.To))
	}
	c.To.SetText("")
	keyboardType(w, "an")
	press(w, fyne.KeyTab)
	if c.To.Text != "an" || suggested(c.To) != nil {
		t.Fatalf("Tab with nothing chosen: text %q, list %v", c.To.Text, suggested(c.To))
	}
	if w.Canvas().Focused() == c.To {
		t.Fatal("Tab with nothing chosen stayed in To; it should move on")
	}
	w.Canvas().Focus(c.To)
	c.To.SetText("")
	keyboardType(w, "an")
	press(w, fyne.KeyUp) // the last row: Annabel
	press(w, fyne.KeyReturn)
	if c.To.Text != "Annabel Lee <annabel@example.net>, " {
		t.Fatalf("Up, Enter: %q", c.To.Text)
	}
}
