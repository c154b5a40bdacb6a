package ui

import (
	"sync"
	"sync/atomic"
	_ "unsafe" // go:linkname, to make Fyne's lang speak the chosen language

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/text/language"

	"stamp/i18n"
)

// fyneSetupLang is Fyne's own switch of the language lang.X answers in
// (lang.setupLang, what Fyne's tests use). Fyne 2.7 offers no public way to
// choose a language: its localizer follows the system's locales, and every
// AddTranslations call picks again from them. Stamp calls it once, after
// registering its files, with the language the person chose or the system's
// as i18n.Detect reads it, so Fyne's texts (Cancel, OK, the file dialog) and
// Stamp's agree. TestFyneSpeaksTheChosenLanguage fails if a Fyne upgrade
// renames it.
//
//go:linkname fyneSetupLang fyne.io/fyne/v2/lang.setupLang
func fyneSetupLang(string)

var addTranslations sync.Once

// appRunning is set by Running: from then on UseLanguage refuses.
var appRunning atomic.Bool

// Running tells the package that the app's event loop starts (call it just
// before a.Run). From then on the language is fixed: UseLanguage panics.
func Running() { appRunning.Store(true) }

// UseLanguage makes tag the language of every text from now on, in both
// layers: i18n (the engine's explanations, validation, presets) and Fyne's
// lang (every lang.X in ui, and Fyne's own dialogs). The translation files
// are the same embedded ones (i18n.FS), registered with Fyne once. Call it
// before the app runs (Running), on the goroutine that builds the windows:
// Fyne's switch of the language is not synchronised with the texts its
// event loop reads, and windows already open keep their texts. Once the app
// runs it panics rather than race; a new choice applies at the next start.
func UseLanguage(tag language.Tag) language.Tag {
	if appRunning.Load() {
		panic("ui.UseLanguage called while the app runs: Fyne's language is not synchronised; choose the language before a.Run (the Language dialog's choice applies at the next start)")
	}
	tag = i18n.SetLanguage(tag)
	addTranslations.Do(func() {
		if err := lang.AddTranslationsFS(i18n.FS, i18n.Dir); err != nil {
			fyne.LogError("Stamp's translations could not be registered", err)
		}
	})
	fyneSetupLang(tag.String())
	return tag
}

// languageOption is one line of the Language dialog.
type languageOption struct {
	choice i18n.Choice
	label  string
}

// languageOptions lists the choices: the system's, then each language in
// its own name (a person who cannot read the current language finds theirs).
func languageOptions() []languageOption {
	return []languageOption{
		{"", lang.X("language.system", "Same as the system ({{.Language}})", map[string]any{"Language": languageName(i18n.Detect())})},
		{i18n.Choice(i18n.English.String()), languageName(i18n.English)},
		{i18n.Choice(i18n.SimplifiedChinese.String()), languageName(i18n.SimplifiedChinese)},
	}
}

// languageName is a language's name in that language.
func languageName(t language.Tag) string {
	if t == i18n.SimplifiedChinese {
		return "简体中文"
	}
	return "English"
}

// ShowLanguage shows the Language dialog over parent: the choice is saved in
// dataDir (i18n.SaveChoice) and applies at the next start; the dialog says
// so. It returns the radio group, for tests.
func ShowLanguage(parent fyne.Window, dataDir string) *widget.RadioGroup {
	opts := languageOptions()
	labels := make([]string, len(opts))
	for i, o := range opts {
		labels[i] = o.label
	}
	current, err := i18n.LoadChoice(dataDir)
	if err != nil {
		fyne.LogError("settings file", err)
	}
	radio := widget.NewRadioGroup(labels, nil)
	radio.Required = true
	for _, o := range opts {
		if o.choice == current {
			radio.SetSelected(o.label)
		}
	}
	note := widget.NewLabel(lang.X("language.restart", "Stamp uses the new language from its next start: close Stamp and open it again."))
	note.Wrapping = fyne.TextWrapWord
	content := widget.NewForm(widget.NewFormItem("", radio), widget.NewFormItem("", note))
	d := dialog.NewCustomConfirm(lang.X("language.title", "Language"), lang.X("language.save", "Save"), lang.X("language.cancel", "Cancel"), content,
		func(ok bool) {
			if !ok {
				return
			}
			for _, o := range opts {
				if o.label == radio.Selected {
					if err := i18n.SaveChoice(dataDir, o.choice); err != nil {
						dialog.ShowError(err, parent)
					}
				}
			}
		}, parent)
	d.Resize(fyne.NewSize(420, 0))
	d.Show()
	return radio
}
