package ui

import (
	"bytes"
	"image/png"
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestComposerWindowIsTitledStamp(t *testing.T) {
	a := test.NewApp()
	defer a.Quit()
	c := NewComposer(a)
	if got := c.Window.Title(); got != "Stamp" {
		t.Fatalf("window title = %q, want %q", got, "Stamp")
	}
	test.Type(c.To, "Ann <ann@example.com>")
	if c.To.Text != "Ann <ann@example.com>" {
		t.Fatalf("To field = %q after typing", c.To.Text)
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
