package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// A Chinese name typed into the Accounts window (what recipients see as
// the sender) without a CJK font shows as boxes: the window says what to
// install, as the composer does.
func TestChineseNameInAccountsWithoutACJKFontIsTold(t *testing.T) {
	defer fontState.Store(fontState.Load())
	fontState.Store(2) // the font check found no CJK font
	w, _, _, _ := newTestAccountsWindow(t)
	test.Type(w.Name, "Ann")
	if strings.Contains(w.Status.Text, "fonts-noto-cjk") {
		t.Fatalf("a Latin name brought the font warning: %q", w.Status.Text)
	}
	test.Type(w.Name, "张三")
	if !strings.Contains(w.Status.Text, "fonts-noto-cjk") {
		t.Errorf("a Chinese name typed without a CJK font: no word of what to install (status %q)", w.Status.Text)
	}
}
