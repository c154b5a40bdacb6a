package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"stamp/i18n"
)

// The file dialog (Attach…, Import vCard…, Save transcript…) in Chinese:
// its places and its title read as Chinese software does, its buttons are
// Fyne's lang; in English it is Fyne's dialog as before.
func TestFileDialogSpeaksChinese(t *testing.T) {
	home := t.TempDir()
	for _, d := range []string{"Documents", "Downloads", "Desktop"} {
		if err := os.Mkdir(filepath.Join(home, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	open := func(t *testing.T) []string {
		c, _ := newTestComposer(t, t.TempDir())
		c.app.Preferences().SetString(prefAttachDir, t.TempDir()) // an empty folder: only the places are named
		c.ShowAttachDialog()
		return everyText(c.Window)
	}
	t.Run("zh", func(t *testing.T) {
		speak(t, i18n.Choice(i18n.SimplifiedChinese.String()))
		all := open(t)
		for _, want := range []string{"打开文件", "主文件夹", "桌面", "文档", "下载", "打开", "取消"} {
			if !slices.Contains(all, want) {
				t.Errorf("the Chinese Attach dialog lacks %q:\n%s", want, strings.Join(all, "\n"))
			}
		}
		for _, en := range []string{"Home", "Desktop", "Documents", "Downloads", "Computer", "打开 文件"} {
			if slices.Contains(all, en) {
				t.Errorf("the Chinese Attach dialog shows %q", en)
			}
		}
		// Save transcript… and Export vCard…: the save dialog.
		w := test.NewTempApp(t).NewWindow("Stamp")
		defer w.Close()
		d := newFileSave(func(fyne.URIWriteCloser, error) {}, w)
		d.SetLocation(mustLister(t, t.TempDir()))
		d.Show()
		saved := everyText(w)
		for _, want := range []string{"保存文件", "主文件夹", "保存", "取消"} {
			if !slices.Contains(saved, want) {
				t.Errorf("the Chinese save dialog lacks %q:\n%s", want, strings.Join(saved, "\n"))
			}
		}
	})
	t.Run("en", func(t *testing.T) {
		all := open(t)
		for _, want := range []string{"Open File", "Home", "Desktop", "Documents", "Downloads", "Open", "Cancel"} {
			if !slices.Contains(all, want) {
				t.Errorf("the English Attach dialog lacks %q:\n%s", want, strings.Join(all, "\n"))
			}
		}
	})
}

// Fyne's dialogs' buttons in Chinese say 确定 and 否 (Fyne's own Chinese
// says 好 and 不); in English OK and No.
func TestFyneDialogButtonsInChinese(t *testing.T) {
	buttons := func() (info, confirm []string) {
		w := test.NewTempApp(t).NewWindow("Stamp")
		defer w.Close()
		dialog.ShowInformation("title", "text", w)
		info = everyText(w)
		w2 := test.NewTempApp(t).NewWindow("Stamp")
		defer w2.Close()
		dialog.ShowConfirm("title", "text", func(bool) {}, w2)
		return info, everyText(w2)
	}
	info, confirm := buttons()
	if !slices.Contains(info, "OK") || !slices.Contains(confirm, "No") || !slices.Contains(confirm, "Yes") {
		t.Errorf("English dialogs: %q, %q", info, confirm)
	}
	speak(t, i18n.Choice(i18n.SimplifiedChinese.String()))
	info, confirm = buttons()
	if !slices.Contains(info, "确定") || slices.Contains(info, "好") {
		t.Errorf("a Chinese information dialog's button is not 确定: %q", info)
	}
	if !slices.Contains(confirm, "否") || !slices.Contains(confirm, "是") || slices.Contains(confirm, "不") {
		t.Errorf("a Chinese question's buttons are not 是/否: %q", confirm)
	}
}

func mustLister(t *testing.T, dir string) fyne.ListableURI {
	t.Helper()
	l, err := storage.ListerForURI(storage.NewFileURI(dir))
	if err != nil {
		t.Fatal(err)
	}
	return l
}
