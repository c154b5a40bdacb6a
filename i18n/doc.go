// Package i18n is Stamp's one translation layer outside Fyne: the texts that
// pure packages produce (the engine's explanations, compose's validation
// messages, the presets' checklists, discover's notes, stamp-send's messages)
// are looked up here by key, in the person's language.
//
// The translation files are embedded once (FS, "translations/en.json" and
// "translations/zh-Hans.json", go-i18n's JSON format) and serve both layers:
// this package reads them with go-i18n, and ui registers the same files with
// Fyne's lang.AddTranslationsFS, so a key means the same text in both.
//
// Keys are lowercase and dotted, area first ("smtp.explain.auth",
// "compose.invalid.header_newline", "menu.settings.language"); every call
// passes the English text as its fallback, and the key check
// (keys_test.go) fails when a key used in code is missing from a language
// file, a file holds a key no code uses, or en.json differs from the code's
// English.
//
// The language follows the system's list of preferred languages in its
// order (gettext's LANGUAGE, then LC_ALL / LC_MESSAGES / LANG on Unix; the
// preferred UI languages on Windows; AppleLanguages on macOS): the first one
// Stamp speaks wins, English when none. Stamp has no Traditional Chinese
// translation yet, so every Chinese variant (zh_TW, zh_HK, zh-Hant, zh_SG,
// zh) gets Simplified Chinese, wherever it stands in that list; the Language
// dialog still offers English. Adding a language is one more JSON file in
// translations/ and one more entry in Supported.
package i18n
