package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// In Chinese, the Accounts window names a preset's provider as Chinese
// users know it (QQ邮箱, 网易163邮箱), not by its English name.
func TestZhAccountsWindowShowsThePresetsChineseName(t *testing.T) {
	speak(t, "zh-Hans")
	for _, c := range []struct{ address, name, english string }{
		{"someone@qq.com", "QQ邮箱", "QQ Mail"},
		{"someone@163.com", "网易163邮箱", "NetEase 163 Mail"},
	} {
		w, _, _, _ := newTestAccountsWindow(t)
		test.Type(w.Address, c.address)
		if !strings.HasPrefix(w.Notes.Text, c.name+"：") && !strings.HasPrefix(w.Notes.Text, c.name+":") {
			t.Errorf("%s: the notes begin %.60q, want the provider named %q", c.address, w.Notes.Text, c.name)
		}
		if strings.Contains(w.Notes.Text, c.english) {
			t.Errorf("%s: the English name %q is shown in Chinese: %q", c.address, c.english, w.Notes.Text)
		}
	}
}

func TestAccountsWindowShowsThePresetsEnglishNameInEnglish(t *testing.T) {
	w, _, _, _ := newTestAccountsWindow(t)
	test.Type(w.Address, "someone@163.com")
	if !strings.HasPrefix(w.Notes.Text, "NetEase 163 Mail:") {
		t.Errorf("the notes begin %.60q, want NetEase 163 Mail", w.Notes.Text)
	}
}
