package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"stamp/i18n"
)

// Fyne's language switch is not synchronised: once the app runs, choosing
// a language is refused loudly instead of racing the event loop.
func TestUseLanguageRefusesOnceTheAppRuns(t *testing.T) {
	UseLanguage(i18n.English)
	Running()
	t.Cleanup(func() { appRunning.Store(false) })
	defer func() {
		r := recover()
		if r == nil {
			t.Fatal("UseLanguage switched the language while the app runs")
		}
		if msg, _ := r.(string); !strings.Contains(msg, "before a.Run") {
			t.Errorf("the panic %q does not say when to call it", r)
		}
		if i18n.Language() != i18n.English {
			t.Errorf("the refused call still switched i18n to %v", i18n.Language())
		}
	}()
	UseLanguage(i18n.SimplifiedChinese)
}

// A Traditional Chinese system gets Simplified Chinese (Stamp has no
// Traditional translation yet); the Language dialog still offers English.
func TestTheLanguageDialogOffersEnglishOnATraditionalChineseSystem(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANGUAGE", "zh_TW")
	t.Setenv("LANG", "en_US.UTF-8")
	speak(t, "") // follow the system
	if i18n.Language() != i18n.SimplifiedChinese {
		t.Fatalf("LANGUAGE=zh_TW speaks %v, want zh-Hans", i18n.Language())
	}
	w := test.NewTempApp(t).NewWindow("Stamp")
	defer w.Close()
	radio := ShowLanguage(w, t.TempDir())
	opts := strings.Join(radio.Options, "\n")
	for _, want := range []string{"跟随系统（简体中文）", "English", "简体中文"} {
		if !strings.Contains(opts, want) {
			t.Errorf("the Language dialog lacks %q; it offers:\n%s", want, opts)
		}
	}
}
