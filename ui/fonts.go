package ui

import (
	"context"
	"os/exec"
	"runtime"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/text/language"

	"stamp/i18n"
)

// Fyne (2.5 and later) draws a character its theme font lacks with a system
// font that has it (go-text's fontscan, rune by rune), so Chinese renders
// wherever a CJK font is installed, next to Latin text in the theme's font:
// no CJK theme is needed. Windows and macOS ship CJK fonts; a Linux desktop
// may not, and then Chinese shows as boxes. Stamp then says what to install.

// fontState: 0 not checked yet, 1 a CJK font is there (or unknown), 2 none.
var fontState atomic.Int32

// cjkFontCheck is cjkFontMissing; tests replace it.
var cjkFontCheck = cjkFontMissing

// cjkFontMissing reports whether this Linux (or BSD) system has no font
// with Chinese glyphs, asking fontconfig (`fc-list :lang=zh`) for at most
// three seconds. False on Windows and macOS, and when it cannot tell.
func cjkFontMissing() bool {
	switch runtime.GOOS {
	case "windows", "darwin", "android", "ios":
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "fc-list", ":lang=zh", "family").Output()
	if err != nil {
		return false // no fontconfig or it failed: cannot tell, say nothing
	}
	return strings.TrimSpace(string(out)) == ""
}

// needsCJK reports whether s has Chinese, Japanese or Korean characters.
func needsCJK(s string) bool {
	for _, r := range s {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
			return true
		}
	}
	return false
}

// cjkFontWarning is the line that tells what to install. It is English
// first whatever the language, then the translation: a person with no CJK
// font reads boxes for the Chinese, so the reason must be legible without
// one.
func cjkFontWarning() string {
	local := lang.X("fonts.cjk_missing", "No Chinese font is installed, so Chinese text shows as boxes here (the recipients see it right). Install one and restart Stamp: sudo apt install fonts-noto-cjk")
	// The English of the same key (the key check holds both texts equal to
	// en.json's).
	english := i18n.TIn(i18n.English, "fonts.cjk_missing", "No Chinese font is installed, so Chinese text shows as boxes here (the recipients see it right). Install one and restart Stamp: sudo apt install fonts-noto-cjk")
	if english == local || !needsCJK(local) {
		return local
	}
	return english + "\n" + local
}

// WatchCJKFont checks once, off the UI goroutine, whether a CJK font is
// installed, and tells the person what to install when one is needed but
// missing: at once when Stamp speaks Chinese (tag), else as soon as a
// field the person types into (To, Cc, Bcc, subject, body) holds a CJK
// character. Call it once the composer is built.
func WatchCJKFont(c *Composer, tag language.Tag) {
	warned := false
	warn := func() {
		if !warned && fontState.Load() == 2 {
			warned = true
			c.Notify(cjkFontWarning())
		}
	}
	fields := []*widget.Entry{&c.To.Entry, &c.Cc.Entry, &c.Bcc.Entry, c.Subject, c.Body}
	watchCJK(fields, warn)
	go func() {
		if fontState.Load() == 0 { // checked once per run
			state := int32(1)
			if cjkFontCheck() {
				state = 2
			}
			fontState.Store(state)
		}
		runOnUI(func() {
			if tag == i18n.SimplifiedChinese {
				warn()
				return
			}
			for _, e := range fields {
				if needsCJK(e.Text) {
					warn()
					return
				}
			}
		})
	}()
}

// watchCJK calls warn whenever one of entries is changed to text that
// needs a CJK font, after the entry's own OnChanged.
func watchCJK(entries []*widget.Entry, warn func()) {
	for _, e := range entries {
		prev := e.OnChanged
		e.OnChanged = func(s string) {
			if prev != nil {
				prev(s)
			}
			if needsCJK(s) {
				warn()
			}
		}
	}
}

// watchCJKFont makes the Accounts window say what to install, once, when
// a CJK character is typed into a field shown in Stamp or to recipients
// (the name, the label, the signature) and the font check found none.
func (w *AccountsWindow) watchCJKFont() {
	warned := false
	watchCJK([]*widget.Entry{w.Name, w.Label, w.Signature}, func() {
		if !warned && !w.loading && fontState.Load() == 2 {
			warned = true
			w.showStatus(widget.WarningImportance, cjkFontWarning())
		}
	})
}
