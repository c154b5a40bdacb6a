package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"stamp/i18n"
)

// speak switches both layers to tag for one test, and back to English.
func speak(t *testing.T, tag i18n.Choice) {
	t.Helper()
	UseLanguage(tag.Resolve())
	t.Cleanup(func() { UseLanguage(i18n.English) })
}

// shownTexts collects every text a person sees in o: labels, buttons,
// entries, radio options, canvas texts.
func shownTexts(o fyne.CanvasObject) []string {
	var out []string
	walk(o, func(x fyne.CanvasObject) {
		switch v := x.(type) {
		case *widget.Label:
			out = append(out, v.Text)
		case *widget.Button:
			out = append(out, v.Text)
		case *widget.RadioGroup:
			out = append(out, v.Options...)
		case *widget.Entry:
			out = append(out, v.Text, v.PlaceHolder)
		}
	})
	return out
}

var rawKey = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)+$`)

func TestFyneSpeaksTheChosenLanguage(t *testing.T) {
	speak(t, "zh-Hans")
	if got := lang.X("Cancel", "Cancel"); got != "取消" {
		t.Errorf("Fyne's own Cancel is %q in Chinese, want 取消 (did a Fyne upgrade rename lang.setupLang?)", got)
	}
	if got := lang.X("about.close", "Close"); got != "关闭" {
		t.Errorf("Stamp's about.close through Fyne is %q, want 关闭", got)
	}
	UseLanguage(i18n.English)
	if got := lang.X("Cancel", "Cancel"); got != "Cancel" {
		t.Errorf("back in English, Cancel is %q", got)
	}
	if got := lang.X("about.close", "Close"); got != "Close" {
		t.Errorf("back in English, about.close is %q", got)
	}
}

func TestTheAboutDialogInChinese(t *testing.T) {
	speak(t, "zh-Hans")
	w := test.NewTempApp(t).NewWindow("Stamp")
	defer w.Close()
	ShowAbout(w)
	texts := strings.Join(checkNoRawKeys(t, w), "\n")
	for _, want := range []string{"版本 ", "一款写邮件的工具", "关闭", "使用 go"} {
		if !strings.Contains(texts, want) {
			t.Errorf("the About dialog lacks %q; it shows:\n%s", want, texts)
		}
	}
	if strings.Contains(texts, "Built with") || strings.Contains(texts, "A mail composer") {
		t.Errorf("English left in the Chinese About dialog:\n%s", texts)
	}
}

func TestTheLanguageDialogSavesTheChoice(t *testing.T) {
	speak(t, "zh-Hans")
	dir := t.TempDir()
	w := test.NewTempApp(t).NewWindow("Stamp")
	defer w.Close()
	radio := ShowLanguage(w, dir)
	texts := strings.Join(checkNoRawKeys(t, w), "\n")
	for _, want := range []string{"跟随系统", "English", "简体中文", "下次启动", "保存", "取消"} {
		if !strings.Contains(texts, want) {
			t.Errorf("the Language dialog lacks %q; it shows:\n%s", want, texts)
		}
	}
	if radio.Selected != radio.Options[0] {
		t.Errorf("with no settings file the choice is %q, want the system's", radio.Selected)
	}
	radio.SetSelected("English")
	var save *widget.Button
	for _, o := range w.Canvas().Overlays().List() {
		if b := findButton(o, "保存"); b != nil {
			save = b
		}
	}
	if save == nil {
		t.Fatal("no 保存 button")
	}
	test.Tap(save)
	c, err := i18n.LoadChoice(dir)
	if err != nil || c != "en" {
		t.Fatalf("saved choice = %q, %v; want en", c, err)
	}
	if _, err := os.Stat(filepath.Join(dir, i18n.SettingsFile)); err != nil {
		t.Fatal(err)
	}
}

func TestConvertedTextsInChinese(t *testing.T) {
	speak(t, "zh-Hans")
	l := newAttachmentList(nil)
	if got := l.total.Text; !strings.Contains(got, "没有附件") {
		t.Errorf("the empty attachment list says %q", got)
	}
	warnings := strings.Join(sendWarnings(sendCheck{Subject: " ", Body: "请查收附件", Visible: 12, Size: 30_000_000}), "\n")
	for _, want := range []string{"主题为空", "正文提到了附件", "12 个人", "30.0 MB", "25.0 MB"} {
		if !strings.Contains(warnings, want) {
			t.Errorf("the warnings lack %q:\n%s", want, warnings)
		}
	}
	if got := shortTime(time.Date(2026, 12, 4, 15, 4, 0, 0, time.Local)); got != "12月4日 周五 15:04" {
		t.Errorf("shortTime in Chinese = %q", got)
	}
	if got := headerLabel("Bcc"); got != "密送：" {
		t.Errorf("the Bcc header label is %q", got)
	}
}

// checkNoRawKeys fails the test when w (and its dialog) shows a translation
// key instead of a text, and returns what it shows.
func checkNoRawKeys(t *testing.T, w fyne.Window) []string {
	t.Helper()
	texts := shownTexts(w.Content())
	for _, o := range w.Canvas().Overlays().List() {
		texts = append(texts, shownTexts(o)...)
	}
	for _, s := range texts {
		if rawKey.MatchString(s) {
			t.Errorf("a raw key is shown: %q", s)
		}
	}
	return texts
}

func TestChineseTypedWithoutACJKFontNamesTheFontToInstall(t *testing.T) {
	fontCheckFinds(t, false) // a Linux desktop without fonts-noto-cjk
	c, _ := newTestComposer(t, t.TempDir())
	WatchCJKFont(c, i18n.English)
	waitFor(t, "the font check", func() bool { return fontState.Load() == 2 })
	if c.Notice.Visible() && strings.Contains(c.Notice.Text, "fonts-noto-cjk") {
		t.Fatalf("warned before any Chinese was typed: %q", c.Notice.Text)
	}
	test.Type(c.Subject, "测试邮件")
	waitFor(t, "the font warning", func() bool { return strings.Contains(c.Notice.Text, "sudo apt install fonts-noto-cjk") })
}

func TestNoFontWarningWhenACJKFontIsThere(t *testing.T) {
	fontCheckFinds(t, true)
	speak(t, "zh-Hans")
	c, _ := newTestComposer(t, t.TempDir())
	WatchCJKFont(c, i18n.SimplifiedChinese)
	waitFor(t, "the font check", func() bool { return fontState.Load() == 1 })
	test.Type(c.Subject, "测试邮件")
	drainUI()
	if strings.Contains(c.Notice.Text, "fonts-noto-cjk") {
		t.Errorf("warned although a CJK font is installed: %q", c.Notice.Text)
	}
}

// fontCheckFinds makes the CJK font check (run once per run) answer
// whether a CJK font is installed, for this test only.
func fontCheckFinds(t *testing.T, found bool) {
	t.Helper()
	saved := cjkFontCheck
	cjkFontCheck = func() bool { return !found } // the check answers "missing"
	fontState.Store(0)
	t.Cleanup(func() { cjkFontCheck = saved; fontState.Store(0) })
}

// Every composer is watched, those opened after the start too: a Chinese
// name typed into a second message's To without a CJK font is told.
func TestEveryComposerIsWatchedForAMissingCJKFont(t *testing.T) {
	fontCheckFinds(t, false)
	dir := t.TempDir()
	s := NewComposers(test.NewTempApp(t), Options{DataDir: dir, Senders: func() []Sender { return []Sender{testSender} }})
	s.lastClosed = func() {}
	first := s.Start(nil)
	s.WatchCJKFont(i18n.English)
	waitFor(t, "the font check", func() bool { return fontState.Load() == 2 })
	second := s.NewComposer()
	test.Type(second.To, "张三 <zhangsan@example.com>")
	waitFor(t, "the second composer's font warning", func() bool { return strings.Contains(second.Notice.Text, "fonts-noto-cjk") })
	if strings.Contains(first.Notice.Text, "fonts-noto-cjk") {
		t.Errorf("the first composer warned although nothing Chinese was typed there: %q", first.Notice.Text)
	}
}
