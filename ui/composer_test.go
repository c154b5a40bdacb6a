package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestComposerWindowIsTitledStampAndHasItsIcon(t *testing.T) {
	a := test.NewApp()
	defer a.Quit()
	c := NewComposer(a)
	if got := c.Window.Title(); got != "Stamp" {
		t.Fatalf("window title = %q, want %q", got, "Stamp")
	}
	if c.Window.Icon() != Icon {
		t.Fatalf("window icon is not Stamp's icon")
	}
	test.Type(c.To, "Ann <ann@example.com>")
	if c.To.Text != "Ann <ann@example.com>" {
		t.Fatalf("To field = %q after typing", c.To.Text)
	}
}
