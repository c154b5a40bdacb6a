package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func TestAMenuWindowIsOpenedOnceAndAgainAfterItWasClosed(t *testing.T) {
	a := test.NewTempApp(t)
	opened := 0
	var last fyne.Window
	show := OneAtATime(a, func() fyne.Window {
		opened++
		last = a.NewWindow("Accounts — Stamp")
		last.Show()
		return last
	})
	show()
	first := last
	show()
	if opened != 1 {
		t.Fatalf("a second click opened %d windows", opened)
	}
	first.Close()
	show()
	if opened != 2 || last == first {
		t.Fatal("after closing the window, the menu did not open a new one")
	}
}
